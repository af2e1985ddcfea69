import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { DesktopBridge } from '../bridge'
import { createAppI18n } from '../i18n'
import { installFakeServer, makeDetail, makeGroup, makeType, type FakeServer } from '../test/fakeServer'
import { exportSpreadsheet, spreadsheetRows } from './exportSpreadsheet'

let server: FakeServer
const t = (lang: 'en' | 'ru') => createAppI18n(lang).global.t as (key: string) => string

beforeEach(() => {
  server = installFakeServer()
  const warriors = { ...makeType(1, 'Warriors', { IN_BOX: 2, DONE: 1 }, 3), has_notes: true }
  const gone = { ...makeType(4, 'Gone'), has_notes: true }
  server.on('GET', '/api/v1/types', () => ({ body: [makeType(2, 'ёлки', { BUILDING: 1 }), warriors, gone, makeType(5, 'Орки')] }))
  server.on('GET', '/api/v1/groups', () => ({ body: { groups: [makeGroup(3, 'Necrons')] } }))
  server.on('GET', '/api/v1/types/1', () => ({ body: makeDetail(1, 'Warriors', { IN_BOX: 2, DONE: 1 }, 'Leadbelcher\nNuln Oil', 3) }))
  server.on('GET', '/api/v1/types/4', () => ({ status: 404, body: { code: 'ERR_TYPE_NOT_FOUND', params: {} } }))
})
afterEach(() => vi.restoreAllMocks())

describe('the spreadsheet', () => {
  it('has the headers in the language and every type in the list order, with its notes', async () => {
    const rows = await spreadsheetRows(t('ru'), 'ru')
    expect(rows[0]).toEqual(['Название', 'Армия / проект', 'В коробке', 'Сборка', 'Грунтовка', 'Покраска', 'Готово', 'Всего', 'Заметки'])
    // Sorted as the list is in Russian; a type deleted meanwhile is left out.
    expect(rows.slice(1).map((row) => row[0])).toEqual(['ёлки', 'Орки', 'Warriors'])
    expect(rows[3]).toEqual(['Warriors', 'Necrons', 2, 0, 0, 0, 1, 3, 'Leadbelcher\nNuln Oil'])
    // Notes are read only for the types that have some.
    expect(server.calls.filter((call) => /\/types\/\d+$/.test(call.path)).map((call) => call.path).sort()).toEqual([
      '/api/v1/types/1',
      '/api/v1/types/4',
    ])
  })

  it('is saved through the window, or downloaded, under the UTC date', async () => {
    const bridge: DesktopBridge = {
      save_backup: vi.fn(),
      open_backup: vi.fn(),
      save_csv: vi.fn(async () => ({ path: '/home/me/m.csv' })),
    }
    const now = new Date('2027-01-01T01:00:00+03:00')
    await expect(exportSpreadsheet(bridge, t('en'), 'en', now)).resolves.toEqual({ kind: 'saved', path: '/home/me/m.csv' })
    const [name, text] = vi.mocked(bridge.save_csv!).mock.calls[0]
    expect(name).toBe('miniatures-2026-12-31.csv')
    expect(text.startsWith('\ufeff"Name","Army / project","In box"')).toBe(true)
    expect(text.endsWith('\r\n')).toBe(true)

    URL.createObjectURL = vi.fn(() => 'blob:csv')
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    await expect(exportSpreadsheet(null, t('en'), 'en', now)).resolves.toEqual({ kind: 'downloaded', name: 'miniatures-2026-12-31.csv' })
    expect(click).toHaveBeenCalledOnce()
  })

  it('passes on a failure of the window', async () => {
    const bridge: DesktopBridge = {
      save_backup: vi.fn(),
      open_backup: vi.fn(),
      save_csv: vi.fn(async () => ({ code: 'ERR_FILE_WRITE_FAILED' })),
    }
    await expect(exportSpreadsheet(bridge, t('en'), 'en')).rejects.toMatchObject({ code: 'ERR_FILE_WRITE_FAILED' })
  })
})
