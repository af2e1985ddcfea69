// Turns /stats into what the Progress page shows: chart series and this month's trend.
import type { Stats } from '../api/types'
import { formatMonth } from './time'

export interface ChartSeries {
  labels: string[]
  added: number[]
  finished: number[]
}

export function chartSeries(stats: Stats, locale: string): ChartSeries {
  return {
    labels: stats.months.map((m) => formatMonth(m.month, locale)),
    added: stats.months.map((m) => m.added),
    finished: stats.months.map((m) => m.finished),
  }
}

export type Trend = { kind: 'shrinking' | 'growing' | 'steady'; added: number; finished: number }

/** Null while nothing ever happened: the empty state says it better than "added 0, finished 0". */
export function currentMonthTrend(stats: Stats, now: Date = new Date()): Trend | null {
  if (stats.months.length === 0) return null
  const key = now.toISOString().slice(0, 7) // the API counts calendar months in UTC
  const month = stats.months.find((m) => m.month === key)
  const added = month?.added ?? 0
  const finished = month?.finished ?? 0
  const kind = finished > added ? 'shrinking' : added > finished ? 'growing' : 'steady'
  return { kind, added, finished }
}
