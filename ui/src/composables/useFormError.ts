// A form's error that does not outlive its cause: it clears when the user edits the inputs, and a
// connection error clears once the server answers again.
import { getCurrentScope, onScopeDispose, ref, watch, type WatchSource } from 'vue'
import { ApiError } from '../api/client'
import { onReconnect } from '../api/connection'

const CONNECTION_CODES = ['ERR_NETWORK', 'ERR_DATABASE_UNAVAILABLE']

export function isConnectionError(error: unknown): boolean {
  return error instanceof ApiError && CONNECTION_CODES.includes(error.code)
}

export function useFormError(inputs: WatchSource[]) {
  const error = ref<unknown>(null)
  watch(inputs, () => {
    error.value = null
  })
  const stop = onReconnect(() => {
    if (isConnectionError(error.value)) error.value = null
  })
  if (getCurrentScope()) onScopeDispose(stop)
  return error
}

// A form's submission: one at a time, its error kept (and cleared) as above.
export function useFormAction(inputs: WatchSource[]) {
  const error = useFormError(inputs)
  const busy = ref(false)
  async function run(action: () => Promise<void>): Promise<void> {
    if (busy.value) return
    busy.value = true
    error.value = null
    try {
      await action()
    } catch (failure) {
      error.value = failure
    } finally {
      busy.value = false
    }
  }
  return { error, busy, run }
}
