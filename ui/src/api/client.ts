// A thin typed fetch wrapper: every failure becomes an ApiError carrying the contract's code.
import type { Stage } from '../stages'
import { markDown, markOnline } from './connection'
import type {
  AddRequest,
  History,
  ImportSummary,
  MiniType,
  MoveRequest,
  Stats,
  TypeCreate,
  TypeList,
} from './types'

export type ErrorParams = Record<string, unknown>

export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly params: ErrorParams = {},
    readonly status = 0,
  ) {
    super(code)
    this.name = 'ApiError'
  }
}

type Query = Record<string, string | boolean | undefined>

interface RequestOptions {
  json?: unknown
  text?: string
  query?: Query
}

const BASE = '/api/v1'

function buildUrl(path: string, query?: Query): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(key, String(value))
  }
  const qs = search.toString()
  return `${BASE}${path}${qs ? `?${qs}` : ''}`
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const body = options.text ?? (options.json === undefined ? undefined : JSON.stringify(options.json))
  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      body,
      cache: 'no-store',
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    })
  } catch {
    markDown('offline')
    throw new ApiError('ERR_NETWORK')
  }
  if (response.ok) {
    markOnline()
    return response
  }
  const error = await readError(response)
  if (error.code === 'ERR_DATABASE_UNAVAILABLE') markDown('database')
  else markOnline()
  throw error
}

async function readError(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json()
    if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
      const params = 'params' in body && body.params && typeof body.params === 'object'
      return new ApiError(body.code, params ? (body.params as ErrorParams) : {}, response.status)
    }
  } catch {
    // not the error envelope: a proxy or a dying server answered
  }
  if (response.status === 502 || response.status === 504) {
    markDown('offline')
    return new ApiError('ERR_NETWORK', {}, response.status)
  }
  return new ApiError('ERR_INTERNAL', {}, response.status)
}

async function json<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options)
  return (await response.json()) as T
}

export const api = {
  listTypes: () => json<TypeList>('GET', '/types'),
  getType: (id: number) => json<MiniType>('GET', `/types/${id}`),
  createType: (body: TypeCreate) => json<MiniType>('POST', '/types', { json: body }),
  renameType: (id: number, name: string) =>
    json<MiniType>('PATCH', `/types/${id}`, { json: { name } }),
  deleteType: async (id: number): Promise<void> => {
    await send('DELETE', `/types/${id}`)
  },
  addMiniatures: (id: number, body: AddRequest) =>
    json<MiniType>('POST', `/types/${id}/add`, { json: body }),
  moveMiniatures: (id: number, body: MoveRequest) =>
    json<MiniType>('POST', `/types/${id}/move`, { json: body }),
  history: (id: number) => json<History>('GET', `/types/${id}/history`),
  stats: () => json<Stats>('GET', '/stats'),
  exportBackup: async (): Promise<{ blob: Blob; filename: string }> => {
    const response = await send('GET', '/export')
    return { blob: await response.blob(), filename: attachmentName(response) }
  },
  importBackup: (text: string, mode: ImportMode, dryRun: boolean) =>
    json<ImportSummary>('POST', '/import', { text, query: { mode, dry_run: dryRun } }),
}

export type ImportMode = 'merge' | 'replace'
export type { Stage }

export function attachmentName(response: Response): string {
  const header = response.headers.get('Content-Disposition') ?? ''
  const match = /filename="?([^";]+)"?/.exec(header)
  return match?.[1] ?? `miniatures-${new Date().toISOString().slice(0, 10)}.json`
}
