import { describe, expect, it, vi } from 'vitest'
import { initBridge, useBridge } from './useBridge'

describe('desktop bridge detection', () => {
  it('adopts window.pywebview.api only after pywebviewready', () => {
    const target = new EventTarget() as unknown as Window
    initBridge(target)
    expect(useBridge().bridge.value).toBeNull()
    const api = { save_backup: vi.fn(), open_backup: vi.fn() }
    ;(target as { pywebview?: unknown }).pywebview = { api }
    target.dispatchEvent(new Event('pywebviewready'))
    expect(useBridge().bridge.value).toBe(api)
  })
})
