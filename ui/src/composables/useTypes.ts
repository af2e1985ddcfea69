// The collection shared by every screen: one list of types, updated in place after each change.
import { computed, ref } from 'vue'
import { api, ApiError } from '../api/client'
import type { ChangedType, MiniType, TypeChange, TypeDetail } from '../api/types'
import { matchesKey, nameKey, sortByName } from '../lib/names'
import { nextStage, STAGES, type Counts, type Stage } from '../stages'

type Status = 'idle' | 'loading' | 'ready' | 'error'

/** A single-type answer as the list holds it: whether it has notes, not the notes. */
export function listItem(type: MiniType | TypeDetail): MiniType {
  if (!('notes' in type)) return type
  const { notes, ...rest } = type
  return { ...rest, has_notes: notes !== '' }
}

/** What a change did: the type as it is now, and the event written (to undo exactly that). */
export interface Change {
  type: MiniType
  eventId: number
}

// Answers that mean the screen is behind the database (another window changed it): reload.
const STALE = new Set([
  'ERR_INSUFFICIENT_QTY',
  'ERR_ALREADY_UNDONE',
  'ERR_EVENT_NOT_FOUND',
  'ERR_COUNT_LIMIT',
])

function createTypesStore() {
  const types = ref<MiniType[]>([])
  const status = ref<Status>('idle')
  const loadError = ref<unknown>(null)
  /** Counts every undo tried, so a screen showing history reads it again. */
  const undoRevision = ref(0)
  let pending: Promise<void> | null = null

  function load(): Promise<void> {
    if (pending) return pending
    if (status.value !== 'ready') status.value = 'loading'
    pending = api
      .listTypes()
      .then((list) => {
        types.value = list
        status.value = 'ready'
        loadError.value = null
      })
      .catch((error: unknown) => {
        loadError.value = error
        if (status.value !== 'ready') status.value = 'error'
      })
      .finally(() => {
        pending = null
      })
    return pending
  }

  function upsert(answer: MiniType | TypeDetail): MiniType {
    const type = listItem(answer)
    const index = types.value.findIndex((t) => t.id === type.id)
    if (index === -1) types.value = [...types.value, type]
    else types.value = types.value.map((t) => (t.id === type.id ? type : t))
    return type
  }

  function forget(id: number): void {
    types.value = types.value.filter((t) => t.id !== id)
  }

  /** A failed change may mean another tab moved first: fetch the truth, then report. */
  async function withConflictReload<T>(id: number, action: () => Promise<T>): Promise<T> {
    try {
      return await action()
    } catch (error) {
      if (error instanceof ApiError && STALE.has(error.code)) {
        await refreshOne(id).catch(() => undefined)
      }
      if (error instanceof ApiError && error.code === 'ERR_TYPE_NOT_FOUND') forget(id)
      throw error
    }
  }

  /** The type as it is now, with its notes (the list keeps it too), or null once it is gone. */
  async function refreshOne(id: number): Promise<TypeDetail | null> {
    try {
      const detail = await api.getType(id)
      upsert(detail)
      return detail
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ERR_TYPE_NOT_FOUND') {
        forget(id)
        return null
      }
      throw error
    }
  }

  function changed({ event_id: eventId, ...type }: ChangedType): Change {
    return { type: upsert(type), eventId }
  }

  const create = async (name: string, inBox: number, groupId: number | null = null) =>
    upsert(await api.createType({ name, counts: inBox > 0 ? { IN_BOX: inBox } : {}, group_id: groupId, notes: '' }))

  const move = (id: number, from: Stage, to: Stage, qty: number) =>
    withConflictReload(id, async () =>
      changed(await api.moveMiniatures(id, { from_stage: from, to_stage: to, qty })),
    )

  function quickMove(type: MiniType, from: Stage) {
    const to = nextStage(from)
    if (!to) throw new Error('DONE has no next stage')
    return move(type.id, from, to, 1)
  }

  const add = (id: number, stage: Stage, qty: number) =>
    withConflictReload(id, async () => changed(await api.addMiniatures(id, { stage, qty })))
  async function undo(id: number, eventIds: number[]): Promise<MiniType> {
    try {
      return await withConflictReload(id, async () => upsert(await api.undo(id, eventIds)))
    } finally {
      undoRevision.value += 1
    }
  }

  /** Changes any of the type's name, group and notes; answers it with its notes. */
  const change = (id: number, fields: TypeChange) =>
    withConflictReload(id, async () => {
      const detail = await api.changeType(id, fields)
      upsert(detail)
      return detail
    })
  const rename = async (id: number, name: string) => listItem(await change(id, { name }))

  /** A group deleted: its types stay, in no group. */
  function ungroup(groupId: number): void {
    types.value = types.value.map((t) => (t.group_id === groupId ? { ...t, group_id: null } : t))
  }

  async function remove(id: number): Promise<void> {
    try {
      await api.deleteType(id)
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'ERR_TYPE_NOT_FOUND')) throw error
    }
    forget(id)
  }

  const totals = computed(() => sumCounts(types.value))

  return {
    types,
    status,
    loadError,
    undoRevision,
    totals,
    load,
    refreshOne,
    upsert,
    create,
    move,
    quickMove,
    add,
    undo,
    change,
    rename,
    ungroup,
    remove,
  }
}

export function sumCounts(types: readonly MiniType[]): Counts & { total: number } {
  const sums = Object.fromEntries(STAGES.map((s) => [s, 0])) as Counts
  let total = 0
  for (const type of types) {
    for (const stage of STAGES) sums[stage] += type.counts[stage] ?? 0
    total += type.total
  }
  return { ...sums, total }
}

export function percentDone(done: number, total: number): number {
  return total === 0 ? 0 : Math.floor((done / total) * 100)
}

/** Which types the list shows: all, one group's, or those in no group. */
export type GroupFilter = 'all' | 'none' | number

export function inGroup(type: MiniType, filter: GroupFilter): boolean {
  if (filter === 'all') return true
  return filter === 'none' ? type.group_id === null : type.group_id === filter
}

/** Filter by the group and the search text (by name key: ё = е, any case, invisible characters
 * ignored) and sort in the language's alphabetical order. */
export function visibleTypes(
  types: readonly MiniType[],
  query: string,
  locale: string,
  group: GroupFilter = 'all',
): MiniType[] {
  // The query's key once, and the names' keys only when something is typed: this runs after
  // every change, and each key is a few normalisations of garbage for the window to collect.
  const wanted = nameKey(query)
  const inFilter = group === 'all' ? types : types.filter((t) => inGroup(t, group))
  const matching = wanted === '' ? inFilter : inFilter.filter((t) => matchesKey(nameKey(t.name), wanted))
  return sortByName(matching, locale)
}

/** The search text outlives the page, so coming back from a type keeps the filter. */
export const searchQuery = ref('')

let store: ReturnType<typeof createTypesStore> | null = null

export function useTypes() {
  store ??= createTypesStore()
  return store
}

/** Tests start from an empty collection. */
export function resetTypesStore(): void {
  store = null
  searchQuery.value = ''
}
