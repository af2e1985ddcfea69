import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { announceIfSlow, announcement, SLOW_MS } from './useAnnouncer'

beforeEach(() => {
  vi.useFakeTimers()
  announcement.value = ''
})
afterEach(() => {
  vi.useRealTimers()
})

describe('announceIfSlow', () => {
  it('says nothing of work that ends in time, then or later', async () => {
    const finished = announceIfSlow('Exporting a backup…')
    vi.advanceTimersByTime(SLOW_MS - 1)
    finished()
    vi.advanceTimersByTime(SLOW_MS * 10)
    await nextTick()
    expect(announcement.value).toBe('')
  })

  it('says a long wait once, and takes it away when the work ends', async () => {
    const finished = announceIfSlow('Exporting a backup…')
    vi.advanceTimersByTime(SLOW_MS)
    await nextTick()
    expect(announcement.value).toBe('Exporting a backup…')
    vi.advanceTimersByTime(SLOW_MS * 10)
    await nextTick()
    expect(announcement.value).toBe('Exporting a backup…')
    finished()
    expect(announcement.value).toBe('')
  })

  it('leaves alone what was said since', async () => {
    const first = announceIfSlow('Exporting a backup…')
    vi.advanceTimersByTime(SLOW_MS)
    await nextTick()
    const second = announceIfSlow('Moving one Orks miniature from In box to Building…')
    vi.advanceTimersByTime(SLOW_MS)
    await nextTick()
    first()
    expect(announcement.value).toBe('Moving one Orks miniature from In box to Building…')
    second()
    expect(announcement.value).toBe('')
  })
})
