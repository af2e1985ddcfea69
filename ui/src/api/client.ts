// The HTTP API through a client typed from the generated OpenAPI schema: paths and shapes are
// written once, in the backend. Every failure becomes an ApiError carrying the contract's code.
import createClient from 'openapi-fetch'
import type { Stage } from '../stages'
import { databaseDown, markDown, markOnline } from './connection'
import type { paths } from './schema'
import { markSessionNeeded } from './session'
import type {
  AddRequest,
  ImportMode,
  MoveRequest,
  SessionOpen,
  TypeChange,
  TypeCreate,
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

const http = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? '',
  cache: 'no-store',
  // Looked up on each call, not once: tests stand in their own fetch.
  fetch: (request) => globalThis.fetch(request),
})

interface Answer<T> {
  data?: T
  error?: unknown
  response: Response
}

/** The answer's data, or an ApiError; keeps the connection banner in step either way. */
async function settle<T>(call: Promise<Answer<T>>): Promise<{ data: T; response: Response }> {
  let answer: Answer<T>
  try {
    answer = await call
  } catch {
    markDown('offline')
    throw new ApiError('ERR_NETWORK')
  }
  const { response } = answer
  if (response.ok) {
    markOnline()
    return { data: answer.data as T, response }
  }
  const error = toApiError(answer.error, response.status)
  if (error.code === 'ERR_DATABASE_UNAVAILABLE') markDown(databaseDown(error.params))
  else if (error.code === 'ERR_NETWORK') markDown('offline')
  else markOnline()
  if (error.code === 'ERR_AUTH_REQUIRED') markSessionNeeded()
  throw error
}

function toApiError(body: unknown, status: number): ApiError {
  if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
    const params = 'params' in body && body.params && typeof body.params === 'object'
    return new ApiError(body.code, params ? (body.params as ErrorParams) : {}, status)
  }
  // Not the error envelope: a proxy or a dying server answered.
  if (status === 502 || status === 504) return new ApiError('ERR_NETWORK', {}, status)
  return new ApiError('ERR_INTERNAL', {}, status)
}

const data = async <T>(call: Promise<Answer<T>>): Promise<T> => (await settle(call)).data
const byId = (id: number) => ({ params: { path: { type_id: id } } })
const byGroupId = (id: number) => ({ params: { path: { group_id: id } } })

/** Which types: all (undefined), one group's (its id), or those in none ('none'). */
export type GroupQuery = number | 'none' | undefined
const groupQuery = (group: GroupQuery) => (group === undefined ? {} : { params: { query: { group: String(group) } } })

export const api = {
  listTypes: () => data(http.GET('/api/v1/types')),
  getType: (id: number) => data(http.GET('/api/v1/types/{type_id}', byId(id))),
  createType: (body: TypeCreate) => data(http.POST('/api/v1/types', { body })),
  /** Any of name, group_id and notes: all of them change, or none. */
  changeType: (id: number, body: TypeChange) => data(http.PATCH('/api/v1/types/{type_id}', { ...byId(id), body })),
  listGroups: () => data(http.GET('/api/v1/groups')),
  createGroup: (name: string) => data(http.POST('/api/v1/groups', { body: { name } })),
  renameGroup: (id: number, name: string) => data(http.PATCH('/api/v1/groups/{group_id}', { ...byGroupId(id), body: { name } })),
  deleteGroup: async (id: number): Promise<void> => {
    await settle(http.DELETE('/api/v1/groups/{group_id}', byGroupId(id)))
  },
  deleteType: async (id: number): Promise<void> => {
    await settle(http.DELETE('/api/v1/types/{type_id}', byId(id)))
  },
  addMiniatures: (id: number, body: AddRequest) =>
    data(http.POST('/api/v1/types/{type_id}/add', { ...byId(id), body })),
  moveMiniatures: (id: number, body: MoveRequest) =>
    data(http.POST('/api/v1/types/{type_id}/move', { ...byId(id), body })),
  /** Reverses these events of the type, all or none; answers the type as it is now. */
  undo: (id: number, eventIds: number[]) =>
    data(http.POST('/api/v1/types/{type_id}/undo', { ...byId(id), body: { event_ids: eventIds } })),
  history: (id: number) => data(http.GET('/api/v1/types/{type_id}/history', byId(id))),
  stats: (group?: GroupQuery) => data(http.GET('/api/v1/stats', groupQuery(group))),
  exportBackup: async (): Promise<{ blob: Blob; filename: string }> => {
    const { data: blob, response } = await settle(http.GET('/api/v1/export', { parseAs: 'blob' }))
    return { blob, filename: attachmentName(response) }
  },
  /** The file's text goes as it is: the server checks it, the UI never parses a backup. */
  importBackup: (text: string, mode: ImportMode, dryRun: boolean) =>
    data(
      http.POST('/api/v1/import', {
        params: { query: { mode, dry_run: dryRun } },
        body: text as never,
        bodySerializer: () => text,
      }),
    ),
  /** Opens this device's session (the server sets its cookie). */
  openSession: async (body: SessionOpen): Promise<void> => {
    await settle(http.POST('/api/v1/session', { body }))
  },
  endSession: async (): Promise<void> => {
    await settle(http.DELETE('/api/v1/session'))
  },
  network: () => data(http.GET('/api/v1/network')),
  setNetwork: (enabled: boolean) => data(http.PUT('/api/v1/network', { body: { enabled } })),
  newPairing: () => data(http.POST('/api/v1/pairings')),
  devices: () => data(http.GET('/api/v1/devices')),
  removeDevice: async (id: number): Promise<void> => {
    await settle(http.DELETE('/api/v1/devices/{device_id}', { params: { path: { device_id: id } } }))
  },
  listBackups: () => data(http.GET('/api/v1/backups')),
  takeBackup: () => data(http.POST('/api/v1/backups')),
  restoreBackup: (name: string, dryRun: boolean) =>
    data(
      http.POST('/api/v1/backups/{name}/restore', {
        params: { path: { name }, query: { dry_run: dryRun } },
      }),
    ),
}

export type { ImportMode, Stage }

export function attachmentName(response: Response): string {
  const header = response.headers.get('Content-Disposition') ?? ''
  const match = /filename="?([^";]+)"?/.exec(header)
  return match?.[1] ?? `miniatures-${new Date().toISOString().slice(0, 10)}.json`
}
