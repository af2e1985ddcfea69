import { beforeEach, describe, expect, it } from 'vitest'
import { installFakeServer, makeGroup, makeType, type FakeServer } from '../test/fakeServer'
import { choiceReady, GROUP_FILTER_STORAGE_KEY, NEW_GROUP, readGroupFilter, resetGroupsStore, useGroups } from './useGroups'
import { resetTypesStore, useTypes } from './useTypes'

let server: FakeServer

beforeEach(() => {
  localStorage.clear()
  resetGroupsStore()
  resetTypesStore()
  server = installFakeServer()
  server.on('GET', '/api/v1/groups', () => ({ body: { groups: [makeGroup(3, 'Necrons'), makeGroup(4, 'Kill Team')] } }))
})

describe('the group filter', () => {
  it('reads only what it wrote: all, none or a group id', () => {
    expect(readGroupFilter(null)).toBe('all')
    expect(readGroupFilter('none')).toBe('none')
    expect(readGroupFilter('12')).toBe(12)
    for (const stored of ['0', '-1', '1.5', '012', 'abc', '', '1e3']) expect(readGroupFilter(stored)).toBe('all')
  })

  it('is remembered across a restart of the app', async () => {
    useGroups().filter.value = 3
    await Promise.resolve()
    expect(localStorage.getItem(GROUP_FILTER_STORAGE_KEY)).toBe('3')
    resetGroupsStore()
    expect(useGroups().filter.value).toBe(3)
  })

  it('shows everything again once the group chosen is gone', async () => {
    localStorage.setItem(GROUP_FILTER_STORAGE_KEY, '99')
    const store = useGroups()
    expect(store.filter.value).toBe(99)
    await store.load()
    expect(store.filter.value).toBe('all')
  })
})

describe('groups', () => {
  it('makes a new group only when none has the name, as a person reads it', async () => {
    server.on('POST', '/api/v1/groups', ({ body }) => ({ status: 201, body: makeGroup(7, (body as { name: string }).name) }))
    const store = useGroups()
    await store.load()
    expect((await store.ensure('  NECRONS ')).id).toBe(3)
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(0)
    expect((await store.ensure('Commissions')).id).toBe(7)
    expect(store.groups.value.map((group) => group.name)).toContain('Commissions')
    expect(await store.chosen(NEW_GROUP, 'kill team')).toBe(4)
    expect(await store.chosen('', 'ignored')).toBeNull()
    expect(await store.chosen('3', '')).toBe(3)
  })

  it('takes the group another window made a moment ago', async () => {
    const store = useGroups()
    await store.load()
    server.on('POST', '/api/v1/groups', () => ({ status: 400, body: { code: 'ERR_NAME_TAKEN', params: {} } }))
    server.on('GET', '/api/v1/groups', () => ({ body: { groups: [makeGroup(3, 'Necrons'), makeGroup(8, 'Tyranids')] } }))
    expect((await store.ensure('tyranids')).id).toBe(8)
  })

  it('deletes a group: its types stay, in none, and the filter shows everything', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Warriors', {}, 3), makeType(2, 'Boyz', {}, 4)] }))
    server.on('DELETE', '/api/v1/groups/3', () => ({ status: 204 }))
    const types = useTypes()
    await types.load()
    const store = useGroups()
    await store.load()
    store.filter.value = 3
    await store.remove(3)
    expect(store.groups.value.map((group) => group.id)).toEqual([4])
    expect(types.types.value.map((type) => type.group_id)).toEqual([null, 4])
    expect(store.filter.value).toBe('all')
  })

  it('knows when a new group can be named', () => {
    expect(choiceReady('', '')).toBe(true)
    expect(choiceReady('3', '')).toBe(true)
    expect(choiceReady(NEW_GROUP, ' \u200b ')).toBe(false)
    expect(choiceReady(NEW_GROUP, 'x'.repeat(101))).toBe(false)
    expect(choiceReady(NEW_GROUP, 'Necrons')).toBe(true)
  })
})
