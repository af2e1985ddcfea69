import { flushPromises } from '@vue/test-utils'
import { describe, expect, it, beforeEach, vi } from 'vitest'
import { ApiError } from '../api/client'
import type { DesktopBridge } from '../bridge'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { MAX_IMPORT_BYTES, useImportFlow } from './useImportFlow'

let server: FakeServer
const summary = (created: number, merged: number, events: number) => ({ types_created: created, types_merged: merged, events_added: events })
// A replace dry run also counts what the database holds now.
const replaceSummary = { ...summary(2, 0, 5), types_deleted: 2, miniatures_deleted: 7 }
const BACKUP = '{"format":"miniatures-tracker","version":1,"types":[]}'

beforeEach(() => {
  server = installFakeServer()
})

const importCalls = () => server.calls.filter((call) => call.path === '/api/v1/import').map((call) => call.query)

/** Answers each dry run by its mode; a real import as its mode's dry run would. */
function answerByMode() {
  server.on('POST', '/api/v1/import', ({ url }) => ({ body: url.searchParams.get('mode') === 'replace' ? replaceSummary : summary(1, 1, 5) }))
}

function bridgeWith(open: Awaited<ReturnType<DesktopBridge['open_backup']>>): DesktopBridge {
  return { open_backup: vi.fn(async () => open), save_backup: vi.fn(async () => ({ path: null })) }
}

describe('import flow', () => {
  it('sends one dry run when a file is chosen, of the way shown first: merge', async () => {
    answerByMode()
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([BACKUP], 'backup.json'))
    expect(flow.step.value).toBe('preview')
    expect(flow.mode.value).toBe('merge')
    expect(flow.preview.value).toEqual(summary(1, 1, 5))
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true'])
    expect(flow.checks.value.replace).toBeUndefined()
  })

  it('sends the replace dry run once, when the user turns to Replace, and keeps its answer', async () => {
    answerByMode()
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([BACKUP], 'backup.json'))
    flow.mode.value = 'replace'
    await flushPromises()
    expect(flow.preview.value).toEqual(replaceSummary)
    flow.mode.value = 'merge'
    await flushPromises()
    flow.mode.value = 'replace'
    await flushPromises()
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true', '?mode=replace&dry_run=true'])
    expect(flow.preview.value).toEqual(replaceSummary)
  })

  it('waits for the confirmation, then imports the chosen way', async () => {
    answerByMode()
    const onImported = vi.fn()
    const flow = useImportFlow(onImported)
    await flow.chooseFile(new File([BACKUP], 'backup.json'))
    flow.mode.value = 'replace'
    await flushPromises()
    await flow.confirm() // not yet confirmed: nothing happens
    expect(importCalls()).toHaveLength(2)
    flow.proceed()
    expect(flow.step.value).toBe('confirm')
    await flow.confirm()
    expect(importCalls().at(-1)).toBe('?mode=replace&dry_run=false')
    expect(flow.step.value).toBe('done')
    expect(flow.result.value).toEqual(replaceSummary)
    expect(onImported).toHaveBeenCalledOnce()
  })

  it('shows the replace dry run as running, goes on only once it has answered', async () => {
    let answer: (value: { body: unknown }) => void = () => undefined
    server.on('POST', '/api/v1/import', ({ url }) =>
      url.searchParams.get('mode') === 'replace' ? new Promise((resolve) => (answer = resolve)) : { body: summary(1, 0, 1) },
    )
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([BACKUP], 'backup.json'))
    flow.mode.value = 'replace'
    await flushPromises()
    expect(flow.checks.value.replace).toMatchObject({ checking: true, summary: null })
    expect(flow.step.value).toBe('preview')
    flow.proceed() // nothing to confirm yet
    expect(flow.step.value).toBe('preview')
    answer({ body: replaceSummary })
    await flushPromises()
    expect(flow.checks.value.replace).toMatchObject({ checking: false, summary: replaceSummary })
    flow.proceed()
    expect(flow.step.value).toBe('confirm')
  })

  it('keeps the preview when the replace dry run fails, says why, and tries again when asked', async () => {
    let down = true
    server.on('POST', '/api/v1/import', ({ url }) => {
      if (url.searchParams.get('mode') === 'merge') return { body: summary(1, 0, 1) }
      return down ? { status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } } : { body: replaceSummary }
    })
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([BACKUP], 'backup.json'))
    flow.mode.value = 'replace'
    await flushPromises()
    expect(flow.step.value).toBe('preview')
    expect(flow.error.value).toBeNull()
    expect(flow.checks.value.replace?.failure).toMatchObject({ code: 'ERR_DATABASE_UNAVAILABLE' })
    expect(flow.preview.value).toBeNull()
    down = false
    await flow.checkMode('replace')
    expect(flow.checks.value.replace).toEqual({ summary: replaceSummary, checking: false, failure: null })
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true', '?mode=replace&dry_run=true', '?mode=replace&dry_run=true'])
  })

  it('drops an answer about a file the user has since changed, and starts each file on merge', async () => {
    const held: ((value: { body: unknown }) => void)[] = []
    server.on('POST', '/api/v1/import', ({ url }) => {
      if (url.searchParams.get('mode') === 'merge') return { body: summary(1, 0, 1) }
      return new Promise((resolve) => held.push(resolve))
    })
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File([BACKUP], 'first.json'))
    flow.mode.value = 'replace'
    await flushPromises()
    flow.back()
    await flow.chooseFile(new File([BACKUP], 'second.json'))
    expect(flow.mode.value).toBe('merge')
    held[0]({ body: replaceSummary })
    await flushPromises()
    expect(flow.checks.value.replace).toBeUndefined()
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true', '?mode=replace&dry_run=true', '?mode=merge&dry_run=true'])
  })

  it('stays on the choice with the error when the dry run rejects the file', async () => {
    server.on('POST', '/api/v1/import', () => ({ status: 400, body: { code: 'ERR_IMPORT_INVALID', params: { path: 'types[0].name', rule: 'NAME_REQUIRED' } } }))
    const flow = useImportFlow(() => undefined)
    await flow.chooseFile(new File(['{}'], 'bad.json'))
    expect(flow.step.value).toBe('start')
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
    expect(flow.step.value).toBe('start')
    expect(flow.error.value).toBeNull()
    await flow.chooseWithBridge(bridgeWith({ code: 'ERR_BACKUP_READ_FAILED' }))
    expect((flow.error.value as ApiError).code).toBe('ERR_BACKUP_READ_FAILED')
    await flow.chooseWithBridge(bridgeWith({ name: 'a.json', text: '{}' }))
    expect(flow.step.value).toBe('preview')
    expect(flow.fileName.value).toBe('a.json')
  })
})
