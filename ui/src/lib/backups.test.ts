import { describe, expect, it } from 'vitest'
import { copyMoment } from './backups'

const now = Date.parse('2026-11-30T10:00:00Z')

describe('copyMoment', () => {
  it('says today and yesterday in the language, with the time', () => {
    expect(copyMoment('2026-11-30T08:05:00Z', now, 'en', 'UTC')).toEqual({ day: 'today', time: '08:05' })
    expect(copyMoment('2026-11-29T21:04:00Z', now, 'en', 'UTC')).toEqual({ day: 'yesterday', time: '21:04' })
    expect(copyMoment('2026-11-29T21:04:00Z', now, 'ru', 'UTC')).toEqual({ day: 'вчера', time: '21:04' })
  })

  it('counts calendar days in the given time zone, not 24-hour spans', () => {
    // 23:30 in Moscow on the 29th is yesterday there, though only 13.5 hours ago
    expect(copyMoment('2026-11-29T20:30:00Z', now, 'en', 'Europe/Moscow').day).toBe('yesterday')
    expect(copyMoment('2026-11-29T20:30:00Z', now, 'en', 'UTC').day).toBe('yesterday')
    expect(copyMoment('2026-11-29T21:30:00Z', now, 'en', 'Europe/Moscow')).toEqual({ day: 'today', time: '00:30' })
  })

  it('gives older copies a date, with the year only when it is another year', () => {
    expect(copyMoment('2026-11-20T09:00:00Z', now, 'en', 'UTC').day).toBe('Nov 20')
    expect(copyMoment('2026-11-20T09:00:00Z', now, 'ru', 'UTC').day).toBe('20 нояб.')
    expect(copyMoment('2025-12-31T09:00:00Z', now, 'en', 'UTC').day).toBe('Dec 31, 2025')
  })
})
