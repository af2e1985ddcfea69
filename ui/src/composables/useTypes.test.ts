import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { connectionState, markOnline } from '../api/connection'
import { installFakeServer, makeDetail, makeType, type FakeServer } from '../test/fakeServer'
import { percentDone, resetTypesStore, sumCounts, useTypes, visibleTypes } from './useTypes'

let server: FakeServer

beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})
afterEach(() => markOnline())

describe('visibleTypes', () => {
  const types = [makeType(1, 'Ёжики'), makeType(2, 'Space Marines'), makeType(3, 'елки'), makeType(4, 'orks')]

  it('filters ignoring case and treating ё as е', () => {
    expect(visibleTypes(types, 'ЕЖ', 'ru').map((t) => t.id)).toEqual([1])
    expect(visibleTypes(types, 'ёлк', 'ru').map((t) => t.id)).toEqual([3])
    expect(visibleTypes(types, '  space ', 'en').map((t) => t.id)).toEqual([2])
    expect(visibleTypes(types, 'zzz', 'en')).toEqual([])
  })

  it('sorts in the language alphabetical order', () => {
    expect(visibleTypes(types, '', 'en').map((t) => t.name)).toEqual(['orks', 'Space Marines', 'Ёжики', 'елки'])
    expect(visibleTypes(types, '', 'ru').map((t) => t.name)).toEqual(['Ёжики', 'елки', 'orks', 'Space Marines'])
  })
})

describe('totals', () => {
  it('sums every stage and computes % done rounded down', () => {
    const sums = sumCounts([makeType(1, 'a', { IN_BOX: 2, DONE: 1 }), makeType(2, 'b', { DONE: 2, PAINTING: 1 })])
    expect(sums).toEqual({ IN_BOX: 2, BUILDING: 0, PRIMING: 0, PAINTING: 1, DONE: 3, total: 6 })
    expect(percentDone(3, 6)).toBe(50)
    expect(percentDone(2, 3)).toBe(66)
    expect(percentDone(0, 0)).toBe(0)
  })
})

describe('useTypes', () => {
  it('loads the list and applies a quick move to the next stage', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(7, 'Orks', { IN_BOX: 2 })] }))
    server.on('POST', '/api/v1/types/7/move', () => ({ body: makeType(7, 'Orks', { IN_BOX: 1, BUILDING: 1 }) }))
    const store = useTypes()
    await store.load()
    expect(store.status.value).toBe('ready')
    await store.quickMove(store.types.value[0], 'IN_BOX')
    expect(server.calls.at(-1)?.body).toEqual({ from_stage: 'IN_BOX', to_stage: 'BUILDING', qty: 1 })
    expect(store.types.value[0].counts.BUILDING).toBe(1)
    expect(store.totals.value.total).toBe(2)
  })

  it('reloads the type after an insufficient-quantity conflict and rethrows', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(7, 'Orks', { IN_BOX: 3 })] }))
    server.on('POST', '/api/v1/types/7/move', () => ({ status: 400, body: { code: 'ERR_INSUFFICIENT_QTY', params: { available: 1 } } }))
    server.on('GET', '/api/v1/types/7', () => ({ body: makeType(7, 'Orks', { IN_BOX: 1, DONE: 2 }) }))
    const store = useTypes()
    await store.load()
    const failure = await store.move(7, 'IN_BOX', 'DONE', 3).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiError)
    expect((failure as ApiError).params).toEqual({ available: 1 })
    expect(store.types.value[0].counts.IN_BOX).toBe(1)
  })

  it('creates, renames and deletes', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [] }))
    server.on('POST', '/api/v1/types', ({ body }) => ({ status: 201, body: makeType(9, (body as { name: string }).name, { IN_BOX: 4 }) }))
    server.on('PATCH', '/api/v1/types/9', ({ body }) => {
      const { name = 'Ёлки', notes = '', group_id: groupId = null } = body as { name?: string; notes?: string; group_id?: number | null }
      return { body: makeDetail(9, name, { IN_BOX: 4 }, notes, groupId) }
    })
    server.on('DELETE', '/api/v1/types/9', () => ({ status: 204 }))
    const store = useTypes()
    await store.load()
    await store.create('Эльфы', 4, 3)
    expect(server.calls.at(-1)?.body).toEqual({ name: 'Эльфы', counts: { IN_BOX: 4 }, group_id: 3, notes: '' })
    await store.rename(9, 'Ёлки')
    expect(store.types.value.map((t) => t.name)).toEqual(['Ёлки'])
    // The list keeps whether there are notes, not the notes; the answer has them.
    const detail = await store.change(9, { notes: 'Nuln Oil', group_id: 3 })
    expect(server.calls.at(-1)?.body).toEqual({ notes: 'Nuln Oil', group_id: 3 })
    expect(detail.notes).toBe('Nuln Oil')
    expect(store.types.value[0]).toMatchObject({ has_notes: true, group_id: 3 })
    expect(store.types.value[0]).not.toHaveProperty('notes')
    store.ungroup(3)
    expect(store.types.value[0].group_id).toBeNull()
    await store.remove(9)
    expect(store.types.value).toEqual([])
  })

  it('shows one group, the types in none, or all', () => {
    const types = [makeType(1, 'Warriors', {}, 5), makeType(2, 'Boyz', {}, 6), makeType(3, 'Loose')]
    expect(visibleTypes(types, '', 'en', 5).map((t) => t.id)).toEqual([1])
    expect(visibleTypes(types, '', 'en', 'none').map((t) => t.id)).toEqual([3])
    expect(visibleTypes(types, '', 'en', 'all').map((t) => t.id)).toEqual([2, 3, 1])
    expect(visibleTypes(types, 'war', 'en', 6)).toEqual([])
  })

  it('reports a lost connection and recovers when the server answers', async () => {
    server.offline(true)
    const store = useTypes()
    await store.load()
    expect(store.status.value).toBe('error')
    expect((store.loadError.value as ApiError).code).toBe('ERR_NETWORK')
    expect(connectionState.value).toBe('offline')
    server.offline(false)
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'A')] }))
    await store.load()
    expect(store.status.value).toBe('ready')
    expect(connectionState.value).toBe('online')
  })
})
