import { describe, expect, it, beforeEach, vi } from 'vitest'
import { ApiError } from '../api/client'
import type { DesktopBridge } from '../bridge'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { MAX_IMPORT_BYTES, useImportFlow } from './useImportFlow'

let server: FakeServer
const summary = (created: number, merged: number, events: number) => ({ types_created: created, types_merged: merged, events_added: events })

beforeEach(() => {
  server = installFakeServer()
  server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Orks', { IN_BOX: 2, DONE: 1 }), makeType(2, 'Tau', { DONE: 4 })] }))
})

const importCalls = () => server.calls.filter((call) => call.path === '/api/v1/import')

function bridgeWith(open: Awaited<ReturnType<DesktopBridge['open_backup']>>, save: Awaited<ReturnType<DesktopBridge['save_backup']>> = { path: null }): DesktopBridge {
  return { open_backup: vi.fn(async () => open), save_backup: vi.fn(async () => save) }
}

describe('import flow', () => {
  it('dry-runs both modes, waits for confirmation, then imports the chosen mode', async () => {
    server.on('POST', '/api/v1/import', ({ url }) => {
      const dry = url.searchParams.get('dry_run') === 'true'
      const replace = url.searchParams.get('mode') === 'replace'
      return { body: replace ? summary(2, 0, 5) : dry ? summary(1, 1, 5) : summary(1, 1, 5) }
    })
    const onImported = vi.fn()
    const flow = useImportFlow(onImported)
    await flow.chooseFile(new File(['{"format":"miniatures-tracker","version":1,"types":[]}'], 'backup.json'))
    expect(flow.step.value).toBe('preview')
    expect(flow.preview.value).toEqual(summary(1, 1, 5))
    expect(importCalls().every((c) => c.query.includes('dry_run=true'))).toBe(true)
    // What a replace would delete, read from the database with the dry run.
    expect(flow.current.value).toEqual({ types: 2, miniatures: 7 })
    flow.mode.value = 'replace'
    expect(flow.preview.value).toEqual(summary(2, 0, 5))
    await flow.confirm() // not yet confirmed: nothing happens
    expect(importCalls()).toHaveLength(2)
    flow.proceed()
    expect(flow.step.value).toBe('confirm')
    await flow.confirm()
    expect(server.calls.at(-1)?.query).toBe('?mode=replace&dry_run=false')
    expect(flow.step.value).toBe('result')
    expect(flow.result.value).toEqual(summary(2, 0, 5))
    expect(onImported).toHaveBeenCalledOnce()
  })

  it('stays on the choice with the error when the dry run rejects the file', async () => {
    server.on('POST', '/api/v1/import', () => ({ status: 400, body: { code: 'ERR_IMPORT_INVALID', params: { path: 'types[0].name', rule: 'NAME_REQUIRED' } } }))
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File(['{}'], 'bad.json'))
    expect(flow.step.value).toBe('choose')
    expect(flow.error.value).toMatchObject({ code: 'ERR_IMPORT_INVALID', params: { path: 'types[0].name' } })
  })

  it('names the type the problem is in, taken from the file itself', async () => {
    const file = '{"format":"miniatures-tracker","version":1,"types":[{"name":"Tau"},{"name":" Orks ","counts":{"DONE":-1}}]}'
    server.on('POST', '/api/v1/import', () => ({ status: 400, body: { code: 'ERR_IMPORT_INVALID', params: { path: 'types[1].counts.DONE', rule: 'NEGATIVE' } } }))
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([file], 'bad.json'))
    expect(flow.error.value).toMatchObject({ params: { path: 'types[1].counts.DONE', type_name: 'Orks' } })
  })

  it('refuses a file over 20 MiB before sending it', async () => {
    const flow = useImportFlow(() => undefined)
    const big = new File(['x'], 'big.json')
    Object.defineProperty(big, 'size', { value: MAX_IMPORT_BYTES + 1 })
    await flow.chooseFile(big)
    expect((flow.error.value as ApiError).code).toBe('ERR_IMPORT_TOO_LARGE')
    expect(server.calls).toHaveLength(0)
  })

  it('uses the desktop open dialog: cancel does nothing, a failure is shown, a file is checked', async () => {
    server.on('POST', '/api/v1/import', () => ({ body: summary(0, 1, 1) }))
    const flow = useImportFlow(() => undefined)
    await flow.chooseWithBridge(bridgeWith({ text: null }))
    expect(flow.step.value).toBe('choose')
    expect(flow.error.value).toBeNull()
    await flow.chooseWithBridge(bridgeWith({ code: 'ERR_BACKUP_READ_FAILED' }))
    expect((flow.error.value as ApiError).code).toBe('ERR_BACKUP_READ_FAILED')
    await flow.chooseWithBridge(bridgeWith({ name: 'a.json', text: '{}' }))
    expect(flow.step.value).toBe('preview')
    expect(flow.fileName.value).toBe('a.json')
  })
})
