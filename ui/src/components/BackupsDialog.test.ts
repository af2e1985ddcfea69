import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackupEntry } from '../api/types'
import { useToasts, toastText } from '../composables/useToasts'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import type { Translate } from '../composables/useErrorText'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import BackupsDialog from './BackupsDialog.vue'

const NOW = new Date('2026-11-30T12:00:00Z')
const daily: BackupEntry = {
  name: 'daily-2026-11-29T210400Z.json',
  kind: 'daily',
  at: '2026-11-29T12:04:00Z',
  bytes: 2_500_000,
  types: 12,
  miniatures: 340,
}
const manual: BackupEntry = {
  name: 'manual-2026-11-30T110000Z.json',
  kind: 'manual',
  at: '2026-11-30T11:00:00Z',
  bytes: 3000,
  types: 1,
  miniatures: 1,
}
// A restore is a replace: its dry run also counts what the database holds now.
const summary = { types_created: 12, types_merged: 0, events_added: 57, safety_copy: null, types_deleted: 2, miniatures_deleted: 7 }

/** The local time of day, derived without the code under test. */
const clock = (iso: string) => {
  const date = new Date(iso)
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}

let server: FakeServer
let listed: BackupEntry[]

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
  resetTypesStore()
  useToasts().toasts.value = []
  server = installFakeServer()
  listed = [manual, daily]
  server.on('GET', '/api/v1/backups', () => ({ body: { backups: listed } }))
})

afterEach(() => {
  vi.useRealTimers()
})

async function open(locale: 'en' | 'ru' = 'en') {
  const mounted = mountWithI18n(BackupsDialog, { attachTo: document.body }, locale)
  await flushPromises()
  return mounted
}

describe('BackupsDialog', () => {
  it('lists the copies with kind, day and time, and what they hold', async () => {
    const { wrapper } = await open()
    const texts = wrapper.findAll('[data-testid="backup-text"]').map((item) => item.text())
    expect(texts).toEqual([
      `Manual · today ${clock(manual.at)} · 1 type, 1 miniature`,
      `Daily · yesterday ${clock(daily.at)} · 12 types, 340 miniatures`,
    ])
    expect(wrapper.findAll('[data-testid="backup-entry"]')[1].text()).toContain('2.4 MB')
    wrapper.unmount()
  })

  it('speaks Russian with its plural forms', async () => {
    listed = [{ ...manual, types: 2, miniatures: 3 }, { ...daily, types: 21, miniatures: 11 }]
    const { wrapper } = await open('ru')
    const texts = wrapper.findAll('[data-testid="backup-text"]').map((item) => item.text())
    expect(texts).toEqual([
      `Вручную · сегодня в ${clock(manual.at)} · 2 типа, 3 миниатюры`,
      `Ежедневная · вчера в ${clock(daily.at)} · 21 тип, 11 миниатюр`,
    ])
    expect(wrapper.text()).toContain('Сделать копию сейчас')
    wrapper.unmount()
  })

  it('gives each Restore button the copy it restores as its description', async () => {
    const { wrapper } = await open()
    const button = wrapper.findAll('[data-testid="backup-restore"]')[1]
    const described = document.getElementById(button.attributes('aria-describedby') ?? '')
    expect(described?.textContent).toContain('Daily')
    wrapper.unmount()
  })

  it('makes a copy now and shows it at the top of the list', async () => {
    const fresh = { ...manual, name: 'manual-2026-11-30T120000Z.json', at: NOW.toISOString() }
    server.on('POST', '/api/v1/backups', () => {
      listed = [fresh, ...listed]
      return { status: 201, body: fresh }
    })
    const { wrapper } = await open()
    await wrapper.get('[data-testid="backups-take"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="backups-taken"]').text()).toBe(`Copy made: ${fresh.name}`)
    expect(wrapper.findAll('[data-testid="backup-entry"]')[0].attributes('data-name')).toBe(fresh.name)
    wrapper.unmount()
  })

  it('previews a restore, asks, restores, and says where the replaced data went', async () => {
    server.on('POST', `/api/v1/backups/${daily.name}/restore`, ({ url }) => ({
      body: url.searchParams.get('dry_run') === 'true' ? summary : { ...summary, types_deleted: null, miniatures_deleted: null, safety_copy: 'before-import-2026-11-30T120000Z.json' },
    }))
    const { wrapper, i18n } = await open()
    await wrapper.findAll('[data-testid="backup-restore"]')[1].trigger('click')
    await flushPromises()
    expect(server.calls.filter((call) => call.path.endsWith('/restore')).map((call) => call.query)).toEqual(['?dry_run=true'])
    const preview = wrapper.get('[data-testid="restore-preview"]')
    expect(preview.get('[data-testid="restore-now"]').text()).toBe('2 types, 7 miniatures')
    expect(preview.get('[data-testid="restore-copy"]').text()).toBe('12 types, 340 miniatures, 57 history entries')
    expect(preview.get('h3').text()).toBe(`Restore the copy made yesterday ${clock(daily.at)}?`)
    expect(document.activeElement).toBe(preview.get('h3').element)

    await wrapper.get('[data-testid="restore-next"]').trigger('click')
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.get('[data-testid="restore-confirm"]').element)
    await wrapper.get('[data-testid="restore-confirm"]').trigger('click')
    await flushPromises()

    expect(server.calls.filter((call) => call.path.endsWith('/restore')).map((call) => call.query)).toEqual(['?dry_run=true', '?dry_run=false'])
    expect(wrapper.emitted('close')).toHaveLength(1)
    const [toast] = useToasts().toasts.value
    expect(toastText(toast, i18n.global.t as Translate)).toBe(
      `The copy made yesterday ${clock(daily.at)} is restored. What you had before is saved as before-import-2026-11-30T120000Z.json under Backups.`,
    )
    wrapper.unmount()
  })

  it('goes back from the question to the list with focus on the same copy', async () => {
    server.on('POST', `/api/v1/backups/${daily.name}/restore`, () => ({ body: summary }))
    const { wrapper } = await open()
    await wrapper.findAll('[data-testid="backup-restore"]')[1].trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="restore-next"]').trigger('click')
    await wrapper.get('[data-testid="restore-cancel"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="restore-back"]').trigger('click')
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.findAll('[data-testid="backup-restore"]')[1].element)
    expect(server.calls.filter((call) => call.path.endsWith('/restore'))).toHaveLength(1)
    wrapper.unmount()
  })

  it('refreshes the list when the copy has gone', async () => {
    server.on('POST', `/api/v1/backups/${daily.name}/restore`, () => {
      listed = [manual]
      return { status: 404, body: { code: 'ERR_BACKUP_NOT_FOUND', params: {} } }
    })
    const { wrapper } = await open()
    await wrapper.findAll('[data-testid="backup-restore"]')[1].trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="backups-error"]').text()).toContain('no longer in the backups folder')
    expect(wrapper.findAll('[data-testid="backup-entry"]')).toHaveLength(1)
    expect(document.activeElement).toBe(wrapper.get('[data-testid="backups-take"]').element)
    wrapper.unmount()
  })

  it("warns with the server's count of what a restore replaces, not the screen's list", async () => {
    useTypes().upsert(makeType(2, 'Tau', { DONE: 4 })) // a type page loaded just this one
    server.on('POST', `/api/v1/backups/${daily.name}/restore`, () => ({ body: summary }))
    const { wrapper } = await open()
    const restore = wrapper.findAll('[data-testid="backup-restore"]')[1]
    ;(restore.element as HTMLElement).focus()
    await restore.trigger('click')
    await nextTick()
    // Checking: the button keeps focus, marked busy instead of disabled, and the step is announced.
    expect(wrapper.get('[data-testid="backups-status"]').text()).toBe('Checking the copy…')
    expect(restore.attributes('aria-disabled')).toBe('true')
    expect(restore.attributes('disabled')).toBeUndefined()
    expect(document.activeElement).toBe(restore.element)
    await flushPromises()
    expect(wrapper.get('[data-testid="restore-now"]').text()).toBe('2 types, 7 miniatures')
    expect(wrapper.get('[data-testid="restore-warning"]').text()).toBe('Replacing deletes every type you have now: 2 types, 7 miniatures.')
    expect(server.calls.some((call) => call.path === '/api/v1/types')).toBe(false)
    wrapper.unmount()
  })
})
