import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api } from '../api/client'
import { markOnline, RETRY_MS } from '../api/connection'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import ConnectionBanner from './ConnectionBanner.vue'

const DISK_FULL = { status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: { reason: 'disk_full' } } }

let server: FakeServer
beforeEach(() => {
  server = installFakeServer()
})
afterEach(() => {
  markOnline()
  vi.useRealTimers()
})

describe('ConnectionBanner', () => {
  it.each([
    ['en', 'The disk is full, so the database has stopped. Free some disk space'],
    ['ru', 'Диск заполнен, поэтому база данных остановилась. Освободите место на диске'],
  ] as const)('asks for disk space in %s while the database is down for lack of it', async (locale, text) => {
    vi.useFakeTimers()
    let full = true
    server.on('GET', '/api/v1/stats', () => DISK_FULL)
    server.on('GET', '/api/v1/health', () => (full ? DISK_FULL : { body: { status: 'ok', version: '1' } }))
    const { wrapper } = mountWithI18n(ConnectionBanner, {}, locale)
    await api.stats().catch(() => undefined)
    await flushPromises()
    expect(wrapper.get('[data-testid="connection-banner"]').text()).toContain(text)
    await vi.advanceTimersByTimeAsync(RETRY_MS) // still full: the probe keeps the reason
    expect(wrapper.get('[data-testid="connection-banner"]').text()).toContain(text)
    full = false
    await vi.advanceTimersByTimeAsync(RETRY_MS)
    expect(wrapper.find('[data-testid="connection-banner"]').exists()).toBe(false)
  })

  it('keeps the plain message when the 503 gives no reason', async () => {
    server.on('GET', '/api/v1/stats', () => ({ status: 503, body: { code: 'ERR_DATABASE_UNAVAILABLE', params: {} } }))
    const { wrapper } = mountWithI18n(ConnectionBanner)
    await api.stats().catch(() => undefined)
    await flushPromises()
    expect(wrapper.get('[data-testid="connection-banner"]').text()).toBe(
      "The database is not answering. Changes can't be saved right now; retrying…",
    )
  })
})
