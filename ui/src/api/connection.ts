// Whether the app's server (and its database) answers; polls /health until it does again.
import { readonly, ref } from 'vue'

// 'diskFull': the database is down for lack of disk space, which only the user can fix.
export type ConnectionState = 'online' | 'offline' | 'database' | 'diskFull'

const state = ref<ConnectionState>('online')
const listeners = new Set<() => void>()
let timer: ReturnType<typeof setTimeout> | null = null

export const RETRY_MS = 2000
export const connectionState = readonly(state)

/** Called by every view that should reload once the server is back. */
export function onReconnect(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function markOnline(): void {
  const wasDown = state.value !== 'online'
  state.value = 'online'
  if (timer !== null) {
    clearTimeout(timer)
    timer = null
  }
  if (wasDown) listeners.forEach((listener) => listener())
}

export function markDown(kind: Exclude<ConnectionState, 'online'>): void {
  state.value = kind
  if (timer === null) timer = setTimeout(probe, RETRY_MS)
}

/** Which "database down" the 503's params tell of. */
export function databaseDown(params: unknown): 'database' | 'diskFull' {
  const reason = params && typeof params === 'object' && 'reason' in params ? params.reason : null
  return reason === 'disk_full' ? 'diskFull' : 'database'
}

async function probe(): Promise<void> {
  timer = null
  try {
    const response = await fetch('/api/v1/health', { cache: 'no-store' })
    if (response.ok) return markOnline()
    if (response.status !== 503) return markDown('offline')
    const body: unknown = await response.json().catch(() => null)
    markDown(databaseDown(body && typeof body === 'object' && 'params' in body ? body.params : null))
  } catch {
    markDown('offline')
  }
}
