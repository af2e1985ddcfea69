// Turns /stats into what the Progress page shows: chart series and this month's trend.
import type { Stats } from '../api/types'
import { formatMonth } from './time'

export type MonthStats = Stats['months'][number]

/** The next calendar month's key: '2026-12' -> '2027-01'. */
function nextMonth(month: string): string {
  const [year, index] = month.split('-').map(Number)
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`
}

/**
 * Every month from the first with activity up to this (UTC) month: the API lists only months
 * that have any, and a month without activity must show as zero, not vanish from the chart.
 * Empty while nothing ever happened.
 */
export function allMonths(stats: Stats, now: Date = new Date()): MonthStats[] {
  if (stats.months.length === 0) return []
  const known = new Map(stats.months.map((m) => [m.month, m]))
  const current = now.toISOString().slice(0, 7)
  const last = stats.months[stats.months.length - 1].month
  const end = last > current ? last : current // a clock behind the server's: keep its months
  const months: MonthStats[] = []
  for (let month = stats.months[0].month; month <= end; month = nextMonth(month)) {
    months.push(known.get(month) ?? { month, added: 0, finished: 0 })
  }
  return months
}

export interface ChartSeries {
  labels: string[]
  added: number[]
  finished: number[]
}

export function chartSeries(months: readonly MonthStats[], locale: string): ChartSeries {
  return {
    labels: months.map((m) => formatMonth(m.month, locale)),
    added: months.map((m) => m.added),
    finished: months.map((m) => m.finished),
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
