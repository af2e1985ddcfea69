import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackupEntry } from '../api/types'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { useCopies } from './useCopies'

const copy: BackupEntry = {
  name: 'daily-2026-11-29T210400Z.json',
  kind: 'daily',
  at: '2026-11-29T21:04:00Z',
  bytes: 2048,
  types: 2,
  miniatures: 5,
}
// A restore is a replace: its dry run also counts what the database holds now.
const summary = { types_created: 2, types_merged: 0, events_added: 4, safety_copy: null, types_deleted: 2, miniatures_deleted: 7 }

let server: FakeServer
beforeEach(() => {
  server = installFakeServer()
  server.on('GET', '/api/v1/backups', () => ({ body: { backups: [copy] } }))
})

const restoreCalls = () => server.calls.filter((call) => call.path.endsWith('/restore')).map((call) => call.query)

describe('useCopies', () => {
  it('restores only after the preview and the question, never from the preview itself', async () => {
    server.on('POST', `/api/v1/backups/${copy.name}/restore`, () => ({ body: summary }))
    const onRestored = vi.fn()
    const flow = useCopies(onRestored)
    await flow.load()
    await flow.choose(copy)
    expect(flow.step.value).toBe('preview')
    // What would be replaced is counted by the server with the preview, in one request.
    expect(flow.preview.value).toEqual(summary)
    expect(server.calls.map((call) => call.path)).toEqual(['/api/v1/backups', `/api/v1/backups/${copy.name}/restore`])
    await flow.confirm() // not asked yet: nothing happens
    expect(restoreCalls()).toEqual(['?dry_run=true'])
    flow.proceed()
    flow.back() // the question, then back to the preview
    expect(flow.step.value).toBe('preview')
    flow.proceed()
    await flow.confirm()
    expect(restoreCalls()).toEqual(['?dry_run=true', '?dry_run=false'])
    expect(onRestored).toHaveBeenCalledWith(copy, summary)
  })

  it('keeps the preview and says why when the restore fails', async () => {
    server.on('POST', `/api/v1/backups/${copy.name}/restore`, ({ url }) =>
      url.searchParams.get('dry_run') === 'true'
        ? { body: summary }
        : { status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } },
    )
    const onRestored = vi.fn()
    const flow = useCopies(onRestored)
    await flow.choose(copy)
    flow.proceed()
    await flow.confirm()
    expect(flow.step.value).toBe('preview')
    expect(flow.error.value).toMatchObject({ code: 'ERR_DATABASE_UNAVAILABLE' })
    expect(onRestored).not.toHaveBeenCalled()
  })

  it('takes one copy at a time', async () => {
    server.on('POST', '/api/v1/backups', () => ({ status: 201, body: copy }))
    const flow = useCopies(() => undefined)
    const first = flow.take()
    const second = flow.take() // ignored: the first is still being written
    await Promise.all([first, second])
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(1)
    expect(flow.taken.value).toEqual(copy)
  })

  it('goes back to the list as it is now when the copy has gone', async () => {
    const listed = [copy]
    server.on('GET', '/api/v1/backups', () => ({ body: { backups: listed.splice(0) } }))
    server.on('POST', `/api/v1/backups/${copy.name}/restore`, () => ({ status: 404, body: { code: 'ERR_BACKUP_NOT_FOUND', params: {} } }))
    const flow = useCopies(() => undefined)
    await flow.load()
    await flow.choose(copy)
    expect(flow.step.value).toBe('start')
    expect(flow.chosen.value).toBeNull()
    expect(flow.error.value).toMatchObject({ code: 'ERR_BACKUP_NOT_FOUND' })
    expect(flow.entries.value).toEqual([])
  })
})
