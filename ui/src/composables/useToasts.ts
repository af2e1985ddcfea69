// Short confirmations and errors that do not belong to a form.
import { ref } from 'vue'

export interface Toast {
  id: number
  text: string
  kind: 'info' | 'error'
}

const toasts = ref<Toast[]>([])
let nextId = 1

export function dismissToast(id: number): void {
  toasts.value = toasts.value.filter((toast) => toast.id !== id)
}

export function showToast(text: string, kind: Toast['kind'] = 'info', ms = 5000): void {
  const id = nextId++
  toasts.value = [...toasts.value.slice(-3), { id, text, kind }]
  setTimeout(() => dismissToast(id), kind === 'error' ? ms * 2 : ms)
}

export function useToasts() {
  return { toasts, showToast, dismissToast }
}
