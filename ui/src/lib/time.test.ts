import { describe, expect, it } from 'vitest'
import { copyMoment } from './backups'
import { formatDateTime, formatMonth, formatRelative } from './time'

// A held clock and zone: these pass on any date, anywhere.
const now = Date.parse('2026-11-26T10:05:00Z')

describe('dates and relative times in each language', () => {
  it.each([
    ['de', 'vor 5 Minuten', 'gestern', 'jetzt', '26.11.2026, 10:00', 'März 2026'],
    ['fr', 'il y a 5 minutes', 'hier', 'maintenant', '26 nov. 2026, 10:00', 'mars 2026'],
    ['es', 'hace 5 minutos', 'ayer', 'ahora', '26 nov 2026, 10:00', 'mar 2026'],
    ['it', '5 minuti fa', 'ieri', 'ora', '26 nov 2026, 10:00', 'mar 2026'],
  ] as const)('%s says when, as its speakers do', (locale, minutes, yesterday, justNow, dateTime, month) => {
    expect(formatRelative('2026-11-26T10:00:00Z', now, locale)).toBe(minutes)
    expect(formatRelative('2026-11-25T10:05:00Z', now, locale)).toBe(yesterday)
    expect(formatRelative('2026-11-26T10:04:50Z', now, locale)).toBe(justNow)
    expect(formatDateTime('2026-11-26T10:00:00Z', locale, 'UTC')).toBe(dateTime)
    expect(formatMonth('2026-03', locale)).toBe(month)
  })

  it.each([
    ['de', 'gestern', '20. Nov.'],
    ['fr', 'hier', '20 nov.'],
    ['es', 'ayer', '20 nov'],
    ['it', 'ieri', '20 nov'],
  ] as const)('%s names the day of a kept copy', (locale, yesterday, date) => {
    expect(copyMoment('2026-11-25T09:00:00Z', now, locale, 'UTC')).toEqual({ day: yesterday, time: '09:00' })
    expect(copyMoment('2026-11-20T21:30:00Z', now, locale, 'UTC')).toEqual({ day: date, time: '21:30' })
  })
})
