import { describe, expect, it } from 'vitest'
import { allMonths, chartSeries, currentMonthTrend } from './stats'

const stats = {
  totals: { IN_BOX: 1, BUILDING: 0, PRIMING: 0, PAINTING: 0, DONE: 5, total: 6 },
  months: [
    { month: '2026-10', added: 6, finished: 0 },
    { month: '2026-11', added: 0, finished: 5 },
  ],
}

describe('progress data', () => {
  it('builds month labels and both series in order', () => {
    expect(chartSeries(stats.months, 'en')).toEqual({ labels: ['Oct 2026', 'Nov 2026'], added: [6, 0], finished: [0, 5] })
  })

  it('shows every month from the first with activity to this one, quiet months as zero', () => {
    const sparse = {
      ...stats,
      months: [
        { month: '2025-11', added: 4, finished: 0 },
        { month: '2026-02', added: 1, finished: 2 },
      ],
    }
    const months = allMonths(sparse, new Date('2026-04-15T12:00:00Z'))
    expect(months.map((m) => m.month)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04'])
    expect(months.map((m) => [m.added, m.finished])).toEqual([[4, 0], [0, 0], [0, 0], [1, 2], [0, 0], [0, 0]])
    // Nothing ever happened: no months at all (the page says so instead of a row of zeros).
    expect(allMonths({ ...stats, months: [] }, new Date('2026-04-15T12:00:00Z'))).toEqual([])
    // The API counts months in UTC: at 22:30 UTC on 31 March it is April in Moscow, March here.
    expect(allMonths(sparse, new Date('2026-03-31T22:30:00Z')).at(-1)?.month).toBe('2026-03')
    // A clock behind the server's never hides a month the server counted.
    expect(allMonths(sparse, new Date('2026-01-10T00:00:00Z')).at(-1)?.month).toBe('2026-02')
  })

  it('tells whether the pile shrinks this (UTC) month', () => {
    expect(currentMonthTrend({ ...stats, months: [] })).toBeNull()
    expect(currentMonthTrend(stats, new Date('2026-11-30T23:00:00Z'))).toEqual({ kind: 'shrinking', added: 0, finished: 5 })
    expect(currentMonthTrend(stats, new Date('2026-10-02T00:00:00Z'))?.kind).toBe('growing')
    expect(currentMonthTrend(stats, new Date('2026-12-01T00:00:00Z'))).toEqual({ kind: 'steady', added: 0, finished: 0 })
  })
})
