import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { DesktopBridge } from '../bridge'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { exportBackup } from './exportBackup'

let server: FakeServer

beforeEach(() => {
  server = installFakeServer()
})

function bridgeSaving(save: Awaited<ReturnType<DesktopBridge['save_backup']>>): DesktopBridge {
  return { open_backup: vi.fn(async () => ({ text: null })), save_backup: vi.fn(async () => save) }
}

describe('export', () => {
  it('saves through the desktop bridge when present', async () => {
    await expect(exportBackup(bridgeSaving({ path: '/home/me/m.json' }))).resolves.toEqual({ kind: 'saved', path: '/home/me/m.json' })
    await expect(exportBackup(bridgeSaving({ path: null }))).resolves.toBeNull()
    await expect(exportBackup(bridgeSaving({ code: 'ERR_BACKUP_WRITE_FAILED' }))).rejects.toMatchObject({ code: 'ERR_BACKUP_WRITE_FAILED' })
    expect(server.calls).toHaveLength(0)
  })

  it('downloads the file in a browser under the server-given name', async () => {
    server.on('GET', '/api/v1/export', () => ({ body: { format: 'miniatures-tracker' }, headers: { 'Content-Disposition': 'attachment; filename="miniatures-2026-11-26.json"' } }))
    URL.createObjectURL = vi.fn(() => 'blob:backup')
    URL.revokeObjectURL = vi.fn()
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined)
    await expect(exportBackup(null)).resolves.toEqual({ kind: 'downloaded', name: 'miniatures-2026-11-26.json' })
    expect(click).toHaveBeenCalledOnce()
  })
})
