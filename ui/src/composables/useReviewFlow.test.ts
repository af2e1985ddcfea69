import { describe, expect, it, vi } from 'vitest'
import { useReviewFlow } from './useReviewFlow'

describe('the review flow', () => {
  it('goes start → checking → preview → confirm → applying → done, and back', async () => {
    const flow = useReviewFlow()
    let finishCheck: () => void = () => undefined
    const checking = flow.check(() => new Promise<void>((resolve) => (finishCheck = resolve)))
    expect(flow.step.value).toBe('checking')
    expect(flow.busy.value).toBe(true)
    finishCheck()
    await expect(checking).resolves.toBe(true)
    expect(flow.step.value).toBe('preview')

    flow.proceed()
    expect(flow.step.value).toBe('confirm')
    flow.back()
    expect(flow.step.value).toBe('preview')
    flow.back()
    expect(flow.step.value).toBe('start')
  })

  it('applies only once the question is answered', async () => {
    const flow = useReviewFlow()
    const change = vi.fn(async () => undefined)
    await flow.check(async () => undefined)
    await expect(flow.apply(change)).resolves.toBe(false)
    expect(change).not.toHaveBeenCalled()
    flow.proceed()
    await expect(flow.apply(change)).resolves.toBe(true)
    expect(change).toHaveBeenCalledOnce()
    expect(flow.step.value).toBe('done')
  })

  it('goes back to where the user can act on a failure, told in their words', async () => {
    const afterFailure = vi.fn()
    const flow = useReviewFlow({ explain: (failure) => `explained ${String(failure)}`, afterFailure })
    await expect(flow.check(() => Promise.reject('bad file'))).resolves.toBe(false)
    expect(flow.step.value).toBe('start')
    expect(flow.error.value).toBe('explained bad file')
    expect(afterFailure).toHaveBeenLastCalledWith('bad file')

    await flow.check(async () => undefined)
    expect(flow.error.value).toBeNull()
    flow.proceed()
    await expect(flow.apply(() => Promise.reject('database down'))).resolves.toBe(false)
    expect(flow.step.value).toBe('preview')
    expect(flow.error.value).toBe('explained database down')
    expect(afterFailure).toHaveBeenCalledTimes(2)
  })
})
