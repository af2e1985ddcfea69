// Reload when the window regains focus, the tab becomes visible or the server comes back,
// so two open tabs never show stale counts for long.
import { onBeforeUnmount, onMounted } from 'vue'
import { onReconnect } from '../api/connection'

export const FRESHNESS_GAP_MS = 400

export function watchFreshness(reload: () => void, target: Window = window): () => void {
  let last = 0
  const trigger = () => {
    const now = Date.now()
    if (now - last < FRESHNESS_GAP_MS) return // focus and visibilitychange often fire together
    last = now
    reload()
  }
  const onVisibility = () => {
    if (target.document.visibilityState === 'visible') trigger()
  }
  target.addEventListener('focus', trigger)
  target.document.addEventListener('visibilitychange', onVisibility)
  const stopReconnect = onReconnect(reload)
  return () => {
    target.removeEventListener('focus', trigger)
    target.document.removeEventListener('visibilitychange', onVisibility)
    stopReconnect()
  }
}

export function useFreshness(reload: () => void): void {
  let stop: (() => void) | null = null
  onMounted(() => {
    stop = watchFreshness(reload)
  })
  onBeforeUnmount(() => stop?.())
}
