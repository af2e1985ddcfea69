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

export interface Toast {
  id: number
  kind: 'info' | 'error'
  key?: string
  params?: ToastParams
  error?: unknown
}

const toasts = ref<Toast[]>([])
let nextId = 1

export const messageRef = (key: string): MessageRef => ({ key })

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id)
}

function push(toast: Omit<Toast, 'id'>, ms: number): void {
  const id = nextId++
  toasts.value = [...toasts.value.slice(-3), { id, ...toast }]
  setTimeout(() => dismissToast(id), toast.kind === 'error' ? ms * 2 : ms)
}

export function showToast(
  key: string,
  params: ToastParams = {},
  kind: Toast['kind'] = 'info',
  ms = 5000,
): void {
  push({ key, params, kind }, ms)
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
  return { toasts, showToast, showErrorToast, dismissToast }
}
