import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { markSessionNeeded, sessionNeeded } from '../api/session'
import { initBridge } from '../composables/useBridge'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import KeyScreen from './KeyScreen.vue'

let server: FakeServer
beforeEach(() => {
  server = installFakeServer()
  markSessionNeeded()
})
const mounted: { unmount: () => void }[] = []
afterEach(() => {
  mounted.splice(0).forEach((wrapper) => wrapper.unmount())
  delete (window as { pywebview?: unknown }).pywebview
})

describe('KeyScreen', () => {
  it('opens the session with the typed key, and says so when it is wrong', async () => {
    let accepted = false
    server.on('POST', '/api/v1/session', ({ body }) => {
      accepted = (body as { key?: string }).key === 'the-right-key-of-the-server'
      return accepted ? { status: 204 } : { status: 401, body: { code: 'ERR_BAD_KEY', params: {} } }
    })
    const { wrapper } = mountWithI18n(KeyScreen)
    mounted.push(wrapper)
    expect(wrapper.get('h1').text()).toBe('Enter the access key')
    await wrapper.get('[data-testid="key-input"]').setValue('a-wrong-key-of-some-length')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="key-error"]').text()).toContain('not right')
    expect(sessionNeeded.value).toBe(true)
    await wrapper.get('[data-testid="key-input"]').setValue('the-right-key-of-the-server')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(accepted).toBe(true)
    expect(sessionNeeded.value).toBe(false)
  })

  it('says how long to wait after too many tries', async () => {
    server.on('POST', '/api/v1/session', () => ({
      status: 429,
      body: { code: 'ERR_TOO_MANY_ATTEMPTS', params: { retry_after: 42 } },
    }))
    const { wrapper } = mountWithI18n(KeyScreen, {}, 'ru')
    mounted.push(wrapper)
    await wrapper.get('[data-testid="key-input"]').setValue('whatever-was-typed-here')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="key-error"]').text()).toBe(
      'Слишком много неверных попыток: подождите 42 с и попробуйте снова.',
    )
  })

  it('uses the key a desktop window was started with, unasked', async () => {
    const sent: unknown[] = []
    server.on('POST', '/api/v1/session', ({ body }) => {
      sent.push(body)
      return { status: 204 }
    })
    const api = { save_backup: vi.fn(), open_backup: vi.fn(), access_key: vi.fn(async () => 'key-from-the-environment') }
    ;(window as { pywebview?: unknown }).pywebview = { api }
    initBridge(window)
    mounted.push(mountWithI18n(KeyScreen).wrapper)
    await flushPromises()
    expect(sent).toEqual([{ key: 'key-from-the-environment' }])
    expect(sessionNeeded.value).toBe(false)
  })

  it("hands a typed key to the window once it opened the page's session, and a pairing code never", async () => {
    server.on('POST', '/api/v1/session', ({ body }) => {
      const { key } = body as { key?: string }
      return key === undefined || key === 'the-right-key-of-the-server'
        ? { status: 204 }
        : { status: 401, body: { code: 'ERR_BAD_KEY', params: {} } }
    })
    const api = { save_backup: vi.fn(), open_backup: vi.fn(), use_key: vi.fn(async () => ({ used: true })) }
    ;(window as { pywebview?: unknown }).pywebview = { api }
    initBridge(window)
    const { wrapper } = mountWithI18n(KeyScreen)
    mounted.push(wrapper)
    await flushPromises()
    const submit = async (typed: string) => {
      markSessionNeeded()
      await wrapper.get('[data-testid="key-input"]').setValue(typed)
      await wrapper.get('form').trigger('submit')
      await flushPromises()
    }
    await submit('a-wrong-key-of-some-length')
    expect(api.use_key).not.toHaveBeenCalled()
    await submit('ABCD-EFGH-JKMN')
    expect(sessionNeeded.value).toBe(false)
    expect(api.use_key).not.toHaveBeenCalled()
    await submit('  the-right-key-of-the-server ')
    expect(api.use_key).toHaveBeenCalledOnce()
    expect(api.use_key).toHaveBeenCalledWith('the-right-key-of-the-server')
    expect(sessionNeeded.value).toBe(false)
  })
})
