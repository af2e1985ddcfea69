import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { ApiError } from '../api/client'
import { markDown, markOnline } from '../api/connection'
import { isConnectionError, useFormError } from './useFormError'

describe('useFormError', () => {
  it('clears when an input changes', async () => {
    const scope = effectScope()
    const name = ref('Orks')
    const error = scope.run(() => useFormError([name]))!
    error.value = new ApiError('ERR_NAME_TAKEN')
    await nextTick()
    expect(error.value).not.toBeNull()
    name.value = 'Orks Boyz'
    await nextTick()
    expect(error.value).toBeNull()
    scope.stop()
  })

  it('clears a connection error once the server answers again, but keeps other errors', () => {
    const scope = effectScope()
    const [offline, taken] = scope.run(() => [useFormError([]), useFormError([])])!
    offline.value = new ApiError('ERR_NETWORK')
    taken.value = new ApiError('ERR_NAME_TAKEN')
    expect(isConnectionError(offline.value)).toBe(true)
    markDown('offline')
    markOnline()
    expect(offline.value).toBeNull()
    expect(taken.value).toBeInstanceOf(ApiError)
    scope.stop()
  })
})
