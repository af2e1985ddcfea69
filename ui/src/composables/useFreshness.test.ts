import { afterEach, describe, expect, it, vi } from 'vitest'
import { markDown, markOnline } from '../api/connection'
import { FRESHNESS_GAP_MS, watchFreshness } from './useFreshness'

afterEach(() => vi.useRealTimers())

describe('watchFreshness', () => {
  it('reloads on focus and when the tab becomes visible, once per burst', () => {
    vi.useFakeTimers()
    const reload = vi.fn()
    const stop = watchFreshness(reload)
    window.dispatchEvent(new Event('focus'))
    document.dispatchEvent(new Event('visibilitychange'))
    expect(reload).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(FRESHNESS_GAP_MS + 1)
    document.dispatchEvent(new Event('visibilitychange'))
    expect(reload).toHaveBeenCalledTimes(2)
    stop()
    vi.advanceTimersByTime(FRESHNESS_GAP_MS + 1)
    window.dispatchEvent(new Event('focus'))
    expect(reload).toHaveBeenCalledTimes(2)
  })

  it('reloads when the server comes back', () => {
    const reload = vi.fn()
    const stop = watchFreshness(reload)
    markDown('offline')
    markOnline()
    expect(reload).toHaveBeenCalledTimes(1)
    stop()
  })
})
