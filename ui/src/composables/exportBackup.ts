// The export: the whole collection as a backup file, saved through the desktop window's own
// dialog when the app runs in it, or downloaded by the browser under the server's file name.
import { api, ApiError } from '../api/client'
import type { DesktopBridge } from '../bridge'
import { isBridgeFailure } from './useBridge'

export type ExportOutcome = { kind: 'downloaded'; name: string } | { kind: 'saved'; path: string } | null

export async function exportBackup(bridge: DesktopBridge | null): Promise<ExportOutcome> {
  if (bridge) {
    const result = await bridge.save_backup()
    if (isBridgeFailure(result)) throw new ApiError(result.code, result.params ?? {})
    return result.path ? { kind: 'saved', path: result.path } : null
  }
  const { blob, filename } = await api.exportBackup()
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
  return { kind: 'downloaded', name: filename }
}
