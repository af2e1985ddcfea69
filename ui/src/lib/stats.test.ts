import { describe, expect, it } from 'vitest'
import { chartSeries, currentMonthTrend } from './stats'

const stats = {
  totals: { IN_BOX: 1, BUILDING: 0, PRIMING: 0, PAINTING: 0, DONE: 5, total: 6 },
  months: [
    { month: '2026-10', added: 6, finished: 0 },
    { month: '2026-11', added: 0, finished: 5 },
  ],
}

describe('progress data', () => {
  it('builds month labels and both series in order', () => {
    expect(chartSeries(stats, 'en')).toEqual({ labels: ['Oct 2026', 'Nov 2026'], added: [6, 0], finished: [0, 5] })
  })

  it('tells whether the pile shrinks this (UTC) month', () => {
    expect(currentMonthTrend({ ...stats, months: [] })).toBeNull()
    expect(currentMonthTrend(stats, new Date('2026-11-30T23:00:00Z'))).toEqual({ kind: 'shrinking', added: 0, finished: 5 })
    expect(currentMonthTrend(stats, new Date('2026-10-02T00:00:00Z'))?.kind).toBe('growing')
    expect(currentMonthTrend(stats, new Date('2026-12-01T00:00:00Z'))).toEqual({ kind: 'steady', added: 0, finished: 0 })
  })
})
