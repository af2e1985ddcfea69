import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installFakeServer, type FakeServer } from '../test/fakeServer'
import { api } from './client'
import { markSessionOpened, sessionBody, sessionNeeded, takePairingCode } from './session'

let server: FakeServer
beforeEach(() => {
  server = installFakeServer()
})
afterEach(() => {
  markSessionOpened()
  window.history.replaceState(null, '', '/')
})

describe('sessions', () => {
  it('takes the pairing code out of the address, keeping the path', () => {
    window.history.replaceState(null, '', '/types/7#pair=ABCD-EFGH-JKMN')
    expect(takePairingCode()).toBe('ABCD-EFGH-JKMN')
    expect(window.location.hash).toBe('')
    expect(window.location.pathname).toBe('/types/7')
    expect(takePairingCode()).toBeNull()
  })

  it('leaves any other fragment alone', () => {
    window.history.replaceState(null, '', '/#pair=<script>')
    expect(takePairingCode()).toBeNull()
    expect(window.location.hash).toBe('#pair=%3Cscript%3E')
  })

  it('sends a typed pairing code as a code and anything else as the key', () => {
    expect(sessionBody(' abcd-efgh-jkmn ')).toEqual({ pair: 'abcd-efgh-jkmn' })
    expect(sessionBody('ABCD EFGH JKMN')).toEqual({ pair: 'ABCD EFGH JKMN' })
    expect(sessionBody('ABCDEFGHJKMN')).toEqual({ pair: 'ABCDEFGHJKMN' })
    const key = 'x8Jq2-Vn_Pw0sLr4Tz9bKcYh3mFgA1eD6uQo5iWj7Nk'
    expect(sessionBody(key)).toEqual({ key })
  })

  it('asks for a session when the server says one is required, and not for other errors', async () => {
    server.on('GET', '/api/v1/stats', () => ({ status: 403, body: { code: 'ERR_LOCAL_ONLY', params: {} } }))
    await api.stats().catch(() => undefined)
    expect(sessionNeeded.value).toBe(false)
    server.on('GET', '/api/v1/stats', () => ({ status: 401, body: { code: 'ERR_AUTH_REQUIRED', params: {} } }))
    await api.stats().catch(() => undefined)
    expect(sessionNeeded.value).toBe(true)
  })
})
