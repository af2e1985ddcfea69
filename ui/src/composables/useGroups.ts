// The groups (armies, factions, projects) shared by every screen, and which one the collection
// and the progress are shown for: one choice for both pages, remembered across restarts.
import { ref, watch } from 'vue'
import { api, ApiError, type GroupQuery } from '../api/client'
import type { Group } from '../api/types'
import { MAX_NAME_LENGTH, nameKey, nameLength } from '../lib/names'
import { useTypes, type GroupFilter } from './useTypes'

export const GROUP_FILTER_STORAGE_KEY = 'miniatures.group'
/** A group picker's choice of a group made right there (see GroupPicker). */
export const NEW_GROUP = 'new'

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null // storage blocked: the choice lasts until the page closes
  }
}

export function readGroupFilter(stored: string | null | undefined): GroupFilter {
  if (stored === 'none') return 'none'
  const id = Number(stored)
  return Number.isSafeInteger(id) && id > 0 && String(id) === stored ? id : 'all'
}

/** The filter as the API asks for it. */
export function groupQuery(filter: GroupFilter): GroupQuery {
  return filter === 'all' ? undefined : filter
}

function createGroupsStore() {
  const groups = ref<Group[]>([])
  const loaded = ref(false)
  const filter = ref<GroupFilter>(readGroupFilter(storage()?.getItem(GROUP_FILTER_STORAGE_KEY)))
  watch(filter, (value) => {
    try {
      storage()?.setItem(GROUP_FILTER_STORAGE_KEY, String(value))
    } catch {
      // not remembered, still chosen
    }
  })
  let pending: Promise<void> | null = null

  /** Never fails: a server that is away leaves the groups as they were (the lists say why). */
  function load(): Promise<void> {
    pending ??= api
      .listGroups()
      .then((answer) => {
        groups.value = answer.groups
        loaded.value = true
        // A group deleted since (here or in another window): show everything instead.
        const chosen = filter.value
        if (typeof chosen === 'number' && !answer.groups.some((group) => group.id === chosen)) filter.value = 'all'
      })
      .catch(() => undefined)
      .finally(() => {
        pending = null
      })
    return pending
  }

  function upsert(group: Group): Group {
    const others = groups.value.filter((candidate) => candidate.id !== group.id)
    groups.value = [...others, group]
    return group
  }

  const find = (name: string) => groups.value.find((group) => nameKey(group.name) === nameKey(name))

  /** The group of that name (by name key), made now if there is none. */
  async function ensure(name: string): Promise<Group> {
    const known = find(name)
    if (known) return known
    try {
      return upsert(await api.createGroup(name))
    } catch (error) {
      // Made a moment ago in another window: take it.
      if (!(error instanceof ApiError && error.code === 'ERR_NAME_TAKEN')) throw error
      await load()
      const made = find(name)
      if (!made) throw error
      return made
    }
  }

  async function rename(id: number, name: string): Promise<Group> {
    try {
      return upsert(await api.renameGroup(id, name))
    } catch (error) {
      if (error instanceof ApiError && error.code === 'ERR_GROUP_NOT_FOUND') void load()
      throw error
    }
  }

  /** Deletes the group; its types stay, in no group. */
  async function remove(id: number): Promise<void> {
    try {
      await api.deleteGroup(id)
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'ERR_GROUP_NOT_FOUND')) throw error
    }
    groups.value = groups.value.filter((group) => group.id !== id)
    useTypes().ungroup(id)
    if (filter.value === id) filter.value = 'all'
  }

  /** A picker's choice as a group id: '' none, a group's id, or NEW_GROUP (then made now). */
  async function chosen(choice: string, newName: string): Promise<number | null> {
    if (choice === '') return null
    if (choice === NEW_GROUP) return (await ensure(newName.trim())).id
    return Number(choice)
  }

  return { groups, loaded, filter, load, ensure, chosen, rename, remove }
}

/** Whether a picker's choice can be sent: a new group needs a name within the limit. */
export function choiceReady(choice: string, newName: string): boolean {
  if (choice !== NEW_GROUP) return true
  const length = nameLength(newName)
  return nameKey(newName) !== '' && length <= MAX_NAME_LENGTH
}

let store: ReturnType<typeof createGroupsStore> | null = null

export function useGroups() {
  store ??= createGroupsStore()
  return store
}

/** Tests start with no group and no remembered choice. */
export function resetGroupsStore(): void {
  store = null
}
