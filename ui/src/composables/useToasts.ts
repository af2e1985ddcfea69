// Short confirmations and errors that do not belong to a form. A toast keeps its message key and
// parameters (or the error itself) so it is translated when shown and follows a language switch.
import { ref } from 'vue'
import { formatCount } from '../lib/numbers'
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

/** At most this many at once: the newest replaces the oldest, so they never pile up over the page. */
export const MAX_TOASTS = 2

/** How long a toast that offers Undo stays. */
export const UNDO_TOAST_MS = 10_000

/**
 * Why the toasts' time stands still: the pointer or the focus is on them, or the user is
 * elsewhere (the page is hidden, or the window is not the active one).
 */
export type PauseReason = 'pointer' | 'focus' | 'hidden' | 'away'

const toasts = ref<Toast[]>([])
let nextId = 1
// Each toast's running timer (null while paused) and its full time, which restarts in full
// after a pause, so a toast never vanishes under the user's hand or eyes (WCAG 2.2.1).
const timers = new Map<number, { handle: ReturnType<typeof setTimeout> | null; ms: number }>()
const pauses = new Set<PauseReason>()
// The toast that holds the keyboard focus: never taken away by a newer one.
let focusedId: number | null = null

export const messageRef = (key: string): MessageRef => ({ key })

function stop(id: number): void {
  const timer = timers.get(id)
  if (timer?.handle) clearTimeout(timer.handle)
  if (timer) timer.handle = null
}

function start(id: number): void {
  const timer = timers.get(id)
  if (!timer || timer.handle || pauses.size > 0) return
  timer.handle = setTimeout(() => dismissToast(id), timer.ms)
}

export function dismissToast(id: number): void {
  stop(id)
  timers.delete(id)
  if (focusedId === id) focusedId = null
  toasts.value = toasts.value.filter((toast) => toast.id !== id)
}

/** Stops every toast's time, for one reason among those above. */
export function pauseToasts(reason: PauseReason): void {
  pauses.add(reason)
  for (const id of timers.keys()) stop(id)
}

/** Lifts one reason to stand still; when none is left, each toast's time starts again in full. */
export function resumeToasts(reason: PauseReason): void {
  pauses.delete(reason)
  for (const id of timers.keys()) start(id)
}

/** Which toast holds the keyboard focus (null: none). */
export function focusToast(id: number | null): void {
  focusedId = id
}

/** The same words as a toast already shown (an error: the same error). */
function sameMessage(a: Omit<Toast, 'id'>, b: Omit<Toast, 'id'>): boolean {
  if (a.kind !== b.kind || a.key !== b.key) return false
  if (a.key === undefined) return describe(a.error) === describe(b.error)
  return JSON.stringify(a.params ?? {}) === JSON.stringify(b.params ?? {})
}

// An error's own fields (an ApiError's code and params) and its message.
const describe = (error: unknown): string =>
  error && typeof error === 'object' ? JSON.stringify({ ...error, message: String(error) }) : String(error)

function push(toast: Omit<Toast, 'id'>, ms: number): void {
  // A repeat of a message on screen and an older button of the same kind (the newest change's
  // Undo) both give way to the new toast, unless the user is on them with the keyboard.
  const actionKey = toast.action?.key
  for (const old of toasts.value) {
    if (old.id === focusedId) continue
    if (sameMessage(old, toast) || (actionKey && old.action?.key === actionKey)) dismissToast(old.id)
  }
  const id = nextId++
  toasts.value = [...toasts.value, { id, ...toast }]
  timers.set(id, { handle: null, ms: toast.kind === 'error' ? ms * 2 : ms })
  start(id)
  while (toasts.value.length > MAX_TOASTS) {
    const oldest = toasts.value.find((old) => old.id !== focusedId)
    if (!oldest) break
    dismissToast(oldest.id)
  }
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
export function toastText(toast: Toast, t: Translate, locale = 'en'): string {
  if (toast.key === undefined) return describeError(toast.error, t, locale)
  const named: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(toast.params ?? {})) {
    named[name] = typeof value === 'object' ? t(value.key) : typeof value === 'number' ? formatCount(value, locale) : value
  }
  return t(toast.key, named)
}

export function useToasts() {
  return { toasts, showToast, showErrorToast, dismissToast, pauseToasts, resumeToasts, focusToast }
}
