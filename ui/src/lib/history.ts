// History rows as the type page shows them: newest first, additions as +N, grouped moves as ×k.
import type { HistoryGroup } from '../api/types'
import type { Stage } from '../stages'
import { formatCount } from './numbers'

export interface HistoryRow {
  key: string
  kind: 'added' | 'moved'
  from: Stage | null
  to: Stage
  qty: string
  times: number | null
  at: string
  lastAt: string
  group: HistoryGroup
}

export function historyRows(groups: readonly HistoryGroup[], locale = 'en'): HistoryRow[] {
  return groups
    .map((group, index) => ({
      key: `${index}-${group.at}`,
      kind: group.from_stage === null ? ('added' as const) : ('moved' as const),
      from: (group.from_stage ?? null) as Stage | null,
      to: group.to_stage as Stage,
      qty: (group.from_stage === null ? '+' : '') + formatCount(group.qty, locale),
      times: group.events > 1 ? group.events : null,
      at: group.at,
      lastAt: group.last_at,
      group,
    }))
    .reverse()
}
