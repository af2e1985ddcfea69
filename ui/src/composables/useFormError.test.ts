import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { ApiError } from '../api/client'
import { markDown, markOnline } from '../api/connection'
import { isConnectionError, useFormAction, useFormError } from './useFormError'

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

describe('useFormAction', () => {
  it('runs one submission at a time and keeps its error until the next try', async () => {
    const scope = effectScope()
    const { error, busy, run } = scope.run(() => useFormAction([]))!
    let finish!: () => void
    let calls = 0
    const first = run(() => {
      calls += 1
      return new Promise<void>((resolve) => (finish = resolve))
    })
    expect(busy.value).toBe(true)
    await run(async () => {
      calls += 1
    })
    expect(calls).toBe(1) // a second click while busy does nothing
    finish()
    await first
    expect(busy.value).toBe(false)
    await run(async () => {
      throw new ApiError('ERR_NAME_TAKEN')
    })
    expect(error.value).toBeInstanceOf(ApiError)
    expect(busy.value).toBe(false)
    await run(async () => {})
    expect(error.value).toBeNull()
    scope.stop()
  })
})
