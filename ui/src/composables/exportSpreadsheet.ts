// The spreadsheet export: the whole collection as a CSV file, made here so that its headers are
// in the user's language; saved through the desktop window's own dialog when the app runs in
// it, or downloaded by the browser.
import { api, ApiError } from '../api/client'
import type { MiniType } from '../api/types'
import type { DesktopBridge } from '../bridge'
import { csvFileName, toCsv, type Cell } from '../lib/csv'
import { download } from '../lib/download'
import { sortByName } from '../lib/names'
import { STAGES } from '../stages'
import type { ExportOutcome } from './exportBackup'
import { isBridgeFailure } from './useBridge'

type Translate = (key: string) => string

/** Notes are not in the list: read for the types that have any, a few at a time. */
const NOTES_AT_ONCE = 6

async function notesOf(types: readonly MiniType[]): Promise<Map<number, string | null>> {
  const notes = new Map<number, string | null>()
  const queue = types.filter((type) => type.has_notes)
  async function worker() {
    for (let type = queue.shift(); type; type = queue.shift()) {
      try {
        notes.set(type.id, (await api.getType(type.id)).notes)
      } catch (error) {
        // Deleted since the list was read: it is left out of the file.
        if (!(error instanceof ApiError && error.code === 'ERR_TYPE_NOT_FOUND')) throw error
        notes.set(type.id, null)
      }
    }
  }
  await Promise.all(Array.from({ length: NOTES_AT_ONCE }, worker))
  return notes
}

/** The rows: a header in the user's language, then every type in the list's order. */
export async function spreadsheetRows(t: Translate, locale: string): Promise<Cell[][]> {
  const [types, { groups }] = await Promise.all([api.listTypes(), api.listGroups()])
  const groupNames = new Map(groups.map((group) => [group.id, group.name]))
  const ordered = sortByName(types, locale)
  const notes = await notesOf(ordered)
  const header = [t('csv.name'), t('csv.group'), ...STAGES.map((stage) => t(`stages.${stage}`)), t('csv.total'), t('csv.notes')]
  const rows = ordered
    .filter((type) => notes.get(type.id) !== null)
    .map((type) => [
      type.name,
      type.group_id === null ? '' : (groupNames.get(type.group_id) ?? ''),
      ...STAGES.map((stage) => type.counts[stage]),
      type.total,
      notes.get(type.id) ?? '',
    ])
  return [header, ...rows]
}

export async function exportSpreadsheet(
  bridge: DesktopBridge | null,
  t: Translate,
  locale: string,
  now: Date = new Date(),
): Promise<ExportOutcome> {
  const text = toCsv(await spreadsheetRows(t, locale))
  const name = csvFileName(now)
  // (A window of an older version, connected to this server, cannot save it: downloaded.)
  if (bridge?.save_csv) {
    const result = await bridge.save_csv(name, text)
    if (isBridgeFailure(result)) throw new ApiError(result.code, result.params ?? {})
    return result.path ? { kind: 'saved', path: result.path } : null
  }
  download(new Blob([text], { type: 'text/csv;charset=utf-8' }), name)
  return { kind: 'downloaded', name }
}
