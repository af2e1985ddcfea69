// Short confirmations and errors that do not belong to a form. A toast keeps its message key and
// parameters (or the error itself) so it is translated when shown and follows a language switch.
import { ref } from 'vue'
import { describeError, type Translate } from './useErrorText'

/** A parameter that is itself a message key, e.g. a stage name: translated at render too. */
export interface MessageRef {
  key: string
}
export type ToastParam = string | number | MessageRef
export type ToastParams = Record<string, ToastParam>

/** A button in the toast, e.g. Undo: its label's message key and what it does. */
export interface ToastAction {
  key: string
  run: () => unknown
}

export interface Toast {
  id: number
  kind: 'info' | 'error'
  key?: string
  params?: ToastParams
  error?: unknown
  action?: ToastAction
}

const toasts = ref<Toast[]>([])
let nextId = 1
// Each toast's timer and how long it stays; held (stopped) while the pointer or the keyboard
// focus is on the toast, so its button never vanishes under the user's hand.
const timers = new Map<number, { handle: ReturnType<typeof setTimeout> | null; ms: number }>()

/** How long a toast that offers Undo stays. */
export const UNDO_TOAST_MS = 10_000

export const messageRef = (key: string): MessageRef => ({ key })

export function dismissToast(id: number): void {
  holdToast(id)
  timers.delete(id)
  toasts.value = toasts.value.filter((toast) => toast.id !== id)
}

/** Stops the toast's timer (the pointer or the focus is on it). */
export function holdToast(id: number): void {
  const timer = timers.get(id)
  if (timer?.handle) clearTimeout(timer.handle)
  if (timer) timer.handle = null
}

/** Starts the toast's time again, in full. */
export function releaseToast(id: number): void {
  const timer = timers.get(id)
  if (!timer || timer.handle) return
  timer.handle = setTimeout(() => dismissToast(id), timer.ms)
}

function push(toast: Omit<Toast, 'id'>, ms: number): void {
  const id = nextId++
  // One button of a kind at a time (the newest change's Undo): older ones would only pile up
  // over the page; what they offered stays in the type's history.
  const actionKey = toast.action?.key
  for (const old of toasts.value) if (actionKey && old.action?.key === actionKey) dismissToast(old.id)
  const kept = toasts.value.slice(-3)
  for (const old of toasts.value.slice(0, -3)) timers.delete(old.id)
  toasts.value = [...kept, { id, ...toast }]
  timers.set(id, { handle: null, ms: toast.kind === 'error' ? ms * 2 : ms })
  releaseToast(id)
}

export function showToast(
  key: string,
  params: ToastParams = {},
  kind: Toast['kind'] = 'info',
  ms = 5000,
  action?: ToastAction,
): void {
  push({ key, params, kind, action }, ms)
}

export function showErrorToast(error: unknown, ms = 5000): void {
  push({ kind: 'error', error }, ms)
}

/** The toast's text in the current language. */
export function toastText(toast: Toast, t: Translate): string {
  if (toast.key === undefined) return describeError(toast.error, t)
  const named: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(toast.params ?? {})) {
    named[name] = typeof value === 'object' ? t(value.key) : value
  }
  return t(toast.key, named)
}

export function useToasts() {
  return { toasts, showToast, showErrorToast, dismissToast, holdToast, releaseToast }
}
