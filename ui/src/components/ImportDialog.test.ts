import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import ImportDialog from './ImportDialog.vue'

const BACKUP = '{"format":"miniatures-tracker","version":1,"types":[{"name":"Orks","counts":{"IN_BOX":1}}]}'
const summary = { types_created: 1, types_merged: 0, events_added: 1, safety_copy: null }

let server: FakeServer
// What the database holds now, as a replace dry run counts it.
let held: { types_deleted: number; miniatures_deleted: number }

beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
  held = { types_deleted: 3, miniatures_deleted: 1_000_007 }
  server.on('POST', '/api/v1/import', ({ url }) => {
    const replaceDryRun = url.searchParams.get('mode') === 'replace' && url.searchParams.get('dry_run') === 'true'
    return { body: replaceDryRun ? { ...summary, ...held } : summary }
  })
})

const byTest = (wrapper: VueWrapper, id: string) => wrapper.get(`[data-testid="${id}"]`)
const importCalls = () => server.calls.filter((call) => call.path === '/api/v1/import').map((call) => call.query)

async function chooseFile(wrapper: VueWrapper, content = BACKUP, settle = true) {
  const input = byTest(wrapper, 'import-file')
  Object.defineProperty(input.element, 'files', { value: [new File([content], 'backup.json')], configurable: true })
  await input.trigger('change')
  if (settle) await flushPromises()
}

function open(locale: 'en' | 'ru' = 'en') {
  return mountWithI18n(ImportDialog, { attachTo: document.body }, locale).wrapper
}

describe('ImportDialog', () => {
  it("warns with the server's count of what a replace deletes, not the screen's list", async () => {
    useTypes().upsert(makeType(2, 'Tau', { DONE: 4 })) // a type page loaded just this one
    const wrapper = open()
    await chooseFile(wrapper)
    await byTest(wrapper, 'import-mode-replace').setValue(true)
    await flushPromises()
    expect(byTest(wrapper, 'import-replace-warning').text()).toBe(
      'Replacing deletes every type you have now: 3 types, 1,000,007 miniatures.',
    )
    expect(server.calls.map((call) => call.path)).toEqual(['/api/v1/import', '/api/v1/import'])
    wrapper.unmount()
  })

  it('groups the numbers in Russian and says when nothing will be deleted', async () => {
    const russian = open('ru')
    await chooseFile(russian)
    await byTest(russian, 'import-mode-replace').setValue(true)
    await flushPromises()
    expect(byTest(russian, 'import-replace-warning').text()).toBe('Замена удалит все текущие типы: 3 типа, 1\u00a0000\u00a0007 миниатюр.')
    russian.unmount()

    held = { types_deleted: 0, miniatures_deleted: 0 }
    const wrapper = open()
    await chooseFile(wrapper)
    await byTest(wrapper, 'import-mode-replace').setValue(true)
    await flushPromises()
    expect(byTest(wrapper, 'import-replace-warning').text()).toBe('Your collection is empty now, so nothing will be deleted.')
    wrapper.unmount()
  })

  it('sends the file once for merge; turning to Replace waits in its option with the focus kept, once', async () => {
    let answer: () => void = () => undefined
    server.on('POST', '/api/v1/import', ({ url }) =>
      url.searchParams.get('mode') === 'replace'
        ? new Promise((resolve) => (answer = () => resolve({ body: { ...summary, types_created: 2, ...held } })))
        : { body: summary },
    )
    const wrapper = open()
    await chooseFile(wrapper)
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true'])
    expect(byTest(wrapper, 'import-pending-replace').text()).toBe('Choose it to see what it would do.')

    const replace = byTest(wrapper, 'import-mode-replace')
    ;(replace.element as HTMLElement).focus()
    await replace.setValue(true)
    await flushPromises()
    expect(byTest(wrapper, 'import-pending-replace').text()).toBe('Checking what this would do…')
    expect(byTest(wrapper, 'import-replace-counting').text()).toBe('Replacing deletes every type you have now; counting them…')
    expect(byTest(wrapper, 'import-status').text()).toBe('Checking what this would do…')
    expect(byTest(wrapper, 'import-next').attributes('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(replace.element)

    answer()
    await flushPromises()
    expect(byTest(wrapper, 'import-summary-replace').get('[data-testid="summary-created"]').text()).toBe('2')
    const warning = 'Replacing deletes every type you have now: 3 types, 1,000,007 miniatures.'
    expect(byTest(wrapper, 'import-replace-warning').text()).toBe(warning)
    expect(byTest(wrapper, 'import-status').text()).toBe(warning)
    expect(byTest(wrapper, 'import-next').attributes('aria-disabled')).toBe('false')
    expect(document.activeElement).toBe(replace.element)

    // Kept: back to Merge and to Replace again sends nothing more.
    await byTest(wrapper, 'import-mode-merge').setValue(true)
    await replace.setValue(true)
    await flushPromises()
    expect(importCalls()).toEqual(['?mode=merge&dry_run=true', '?mode=replace&dry_run=true'])
    wrapper.unmount()
  })

  it('says why the replace dry run failed and tries it again on request', async () => {
    let down = true
    server.on('POST', '/api/v1/import', ({ url }) => {
      if (url.searchParams.get('mode') === 'merge') return { body: summary }
      return down ? { status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } } : { body: { ...summary, ...held } }
    })
    const wrapper = open()
    await chooseFile(wrapper)
    await byTest(wrapper, 'import-mode-replace').setValue(true)
    await flushPromises()
    const error = byTest(wrapper, 'import-replace-error')
    expect(error.attributes('role')).toBe('alert')
    expect(error.text()).toMatch(/^Could not check what this would do\. \S/)
    expect(byTest(wrapper, 'import-pending-replace').text()).toBe('Could not check what this would do.')
    expect(byTest(wrapper, 'import-next').attributes('aria-disabled')).toBe('true')
    expect(wrapper.find('[data-testid="import-summary-merge"]').exists()).toBe(true)

    // Try again: the button keeps the focus, marked busy, until the answer comes.
    down = false
    const retry = byTest(wrapper, 'import-recheck')
    ;(retry.element as HTMLElement).focus()
    await retry.trigger('click')
    await nextTick()
    expect(retry.attributes('aria-disabled')).toBe('true')
    expect(document.activeElement).toBe(retry.element)
    await flushPromises()
    expect(byTest(wrapper, 'import-replace-warning').text()).toBe('Replacing deletes every type you have now: 3 types, 1,000,007 miniatures.')
    // The button has gone: the focus is back on the choice it was for.
    expect(document.activeElement).toBe(byTest(wrapper, 'import-mode-replace').element)
    wrapper.unmount()
  })

  it('moves focus to each step and announces it', async () => {
    const wrapper = open()
    const status = byTest(wrapper, 'import-status')
    expect(status.attributes('role')).toBe('status')
    const choose = byTest(wrapper, 'import-choose')
    ;(choose.element as HTMLElement).focus()

    // Checking: the button keeps focus, marked busy instead of disabled.
    await chooseFile(wrapper, BACKUP, false)
    await nextTick()
    expect(status.text()).toBe('Checking the file…')
    expect(choose.attributes('aria-disabled')).toBe('true')
    expect(choose.attributes('disabled')).toBeUndefined()
    expect(document.activeElement).toBe(choose.element)
    await flushPromises()

    // Preview: focus on the chosen way of importing.
    expect(status.text()).toBe('File checked: choose how to import it.')
    expect(document.activeElement).toBe(byTest(wrapper, 'import-mode-merge').element)

    // The question: focus on its answer, which the question describes.
    await byTest(wrapper, 'import-next').trigger('click')
    await flushPromises()
    const confirm = byTest(wrapper, 'import-confirm')
    expect(document.activeElement).toBe(confirm.element)
    expect(document.getElementById(confirm.attributes('aria-describedby') ?? '')?.textContent).toContain('Merge backup.json')

    // Cancel: back where the user left the preview.
    await wrapper.get('[data-testid="import-confirm-box"] .button:not([data-testid])').trigger('click')
    await flushPromises()
    expect(document.activeElement).toBe(byTest(wrapper, 'import-next').element)

    // Importing, then the result with focus on Close.
    await byTest(wrapper, 'import-next').trigger('click')
    await flushPromises()
    await byTest(wrapper, 'import-confirm').trigger('click')
    await nextTick()
    await nextTick()
    expect(status.text()).toBe('Importing…')
    expect(document.activeElement).toBe(byTest(wrapper, 'import-confirm').element)
    await flushPromises()
    expect(status.text()).toBe('Import finished')
    expect(document.activeElement).toBe(byTest(wrapper, 'import-close').element)
    wrapper.unmount()
  })

  it('returns focus to the choice when the file is refused, and says why in words', async () => {
    server.on('POST', '/api/v1/import', () => ({ status: 400, body: { code: 'ERR_IMPORT_INVALID', params: { path: 'format', rule: 'MISSING' } } }))
    const wrapper = open()
    await chooseFile(wrapper, '{"foo":1}')
    expect(byTest(wrapper, 'import-error').text()).toBe('This file is not a backup of this app; nothing was changed.')
    expect(document.activeElement).toBe(byTest(wrapper, 'import-choose').element)
    expect(byTest(wrapper, 'import-choose').attributes('aria-disabled')).toBe('false')
    wrapper.unmount()
  })

  it("names the type by the file's own name for it", async () => {
    server.on('POST', '/api/v1/import', () => ({
      status: 400,
      body: { code: 'ERR_IMPORT_INVALID', params: { path: 'types[1].history[0].to_stage', rule: 'INVALID_TRANSITION' } },
    }))
    const wrapper = open('ru')
    await chooseFile(wrapper, '{"format":"miniatures-tracker","version":1,"types":[{"name":"Tau"},{"name":"Орки","history":[]}]}')
    expect(byTest(wrapper, 'import-error').text()).toBe(
      'Этот файл нельзя импортировать; ничего не изменено. Ошибка — этап назначения в записи истории №\u00a01 у типа «Орки»: миниатюры переходят назад или на тот же этап.',
    )
    wrapper.unmount()
  })
})
