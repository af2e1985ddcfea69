// A scripted stand-in for the HTTP API in unit tests: each route answers from a handler.
import { vi } from 'vitest'

interface Answer {
  status?: number
  body?: unknown
  headers?: Record<string, string>
}

/** Answers at once, or later (a promise) to hold the request open. */
export type Handler = (request: { method: string; url: URL; body: unknown }) => Answer | Promise<Answer>

export interface FakeServer {
  calls: { method: string; path: string; query: string; body: unknown }[]
  on(method: string, path: string, handler: Handler): void
  offline(value: boolean): void
}

export function installFakeServer(): FakeServer {
  const routes = new Map<string, Handler>()
  const calls: FakeServer['calls'] = []
  let isOffline = false
  const fetchStub = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    if (isOffline) throw new TypeError('Failed to fetch')
    // The typed client sends a Request; code that calls fetch directly sends a URL and options.
    const request = input instanceof Request ? input : new Request(new URL(String(input), 'http://127.0.0.1'), init)
    const url = new URL(request.url)
    const method = request.method.toUpperCase()
    const text = await request.text()
    let body: unknown = undefined
    if (text !== '') {
      try {
        body = JSON.parse(text)
      } catch {
        body = text
      }
    }
    calls.push({ method, path: url.pathname, query: url.search, body })
    const handler = routes.get(`${method} ${url.pathname}`)
    if (!handler) return json(404, { code: 'ERR_NOT_FOUND', params: {} })
    const answer = await handler({ method, url, body })
    if (answer.status === 204) return new Response(null, { status: 204 })
    return json(answer.status ?? 200, answer.body ?? null, answer.headers)
  })
  vi.stubGlobal('fetch', fetchStub)
  return {
    calls,
    on: (method, path, handler) => routes.set(`${method} ${path}`, handler),
    offline: (value) => {
      isOffline = value
    },
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

/** A type as the list gives it. */
export function makeType(id: number, name: string, counts: Partial<Record<string, number>> = {}, groupId: number | null = null) {
  const full = { IN_BOX: 0, BUILDING: 0, PRIMING: 0, PAINTING: 0, DONE: 0, ...counts }
  const total = Object.values(full).reduce((a, b) => a + b, 0)
  return { id, name, group_id: groupId, counts: full, total, created_at: '2026-11-01T09:00:00Z', has_notes: false }
}

/** A type as a single-type answer gives it: with its notes. */
export function makeDetail(id: number, name: string, counts: Partial<Record<string, number>> = {}, notes = '', groupId: number | null = null) {
  const { has_notes: _hasNotes, ...type } = makeType(id, name, counts, groupId)
  return { ...type, notes }
}

export function makeGroup(id: number, name: string) {
  const counts = { IN_BOX: 0, BUILDING: 0, PRIMING: 0, PAINTING: 0, DONE: 0 }
  return { id, name, created_at: '2026-11-01T09:00:00Z', types: 0, counts, total: 0 }
}
