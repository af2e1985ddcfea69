import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { api, ApiError, attachmentName } from './client'
import { connectionState, markOnline, onReconnect, RETRY_MS } from './connection'

let server: FakeServer
beforeEach(() => {
  server = installFakeServer()
})
afterEach(() => {
  markOnline()
  vi.useRealTimers()
})

describe('api client', () => {
  it('turns the error envelope into an ApiError with code and params', async () => {
    server.on('POST', '/api/v1/types', () => ({ status: 400, body: { code: 'ERR_NAME_TOO_LONG', params: { max: 100 } } }))
    const failure = await api.createType({ name: 'x'.repeat(101), notes: '' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiError)
    expect(failure).toMatchObject({ code: 'ERR_NAME_TOO_LONG', params: { max: 100 }, status: 400 })
  })

  it('sends the backup text untouched with the chosen mode', async () => {
    server.on('POST', '/api/v1/import', () => ({ body: { types_created: 1, types_merged: 0, events_added: 2 } }))
    await api.importBackup('{"format":"miniatures-tracker"}', 'replace', true)
    expect(server.calls[0].query).toBe('?mode=replace&dry_run=true')
    expect(server.calls[0].body).toEqual({ format: 'miniatures-tracker' })
  })

  it('marks the database as down on ERR_DATABASE_UNAVAILABLE and polls health until it is back', async () => {
    vi.useFakeTimers()
    const reconnected = vi.fn()
    const stop = onReconnect(reconnected)
    let healthy = false
    server.on('GET', '/api/v1/stats', () => ({ status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } }))
    server.on('GET', '/api/v1/health', () =>
      healthy ? { body: { status: 'ok', version: '1' } } : { status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } },
    )
    await expect(api.stats()).rejects.toMatchObject({ code: 'ERR_DATABASE_UNAVAILABLE' })
    expect(connectionState.value).toBe('database')
    await vi.advanceTimersByTimeAsync(RETRY_MS)
    expect(connectionState.value).toBe('database')
    healthy = true
    await vi.advanceTimersByTimeAsync(RETRY_MS)
    expect(connectionState.value).toBe('online')
    expect(reconnected).toHaveBeenCalledTimes(1)
    stop()
  })

  it('fills the path from the schema and sends the body as JSON', async () => {
    server.on('POST', '/api/v1/types/7/move', () => ({ body: { id: 7 } }))
    await api.moveMiniatures(7, { from_stage: 'IN_BOX', to_stage: 'BUILDING', qty: 2 })
    expect(server.calls[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/types/7/move',
      body: { from_stage: 'IN_BOX', to_stage: 'BUILDING', qty: 2 },
    })
  })

  it('reports an unreachable server as ERR_NETWORK and shows the offline banner', async () => {
    server.offline(true)
    await expect(api.listTypes()).rejects.toMatchObject({ code: 'ERR_NETWORK' })
    expect(connectionState.value).toBe('offline')
    server.offline(false)
  })

  it('reads the file name from Content-Disposition', () => {
    const response = new Response('{}', { headers: { 'Content-Disposition': 'attachment; filename="miniatures-2026-11-26.json"' } })
    expect(attachmentName(response)).toBe('miniatures-2026-11-26.json')
  })
})
