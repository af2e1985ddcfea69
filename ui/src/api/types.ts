// Wire types derived from the generated OpenAPI schema by path, so a backend change shows up here.
import type { paths } from './schema'

type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never
type Ok<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: infer R
}
  ? S extends keyof R
    ? JsonOf<R[S]>
    : never
  : never
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: infer B
}
  ? JsonOf<NonNullable<B>>
  : never

export type MiniType = Ok<'/api/v1/types/{type_id}', 'get', 200>
export type TypeList = Ok<'/api/v1/types', 'get', 200>
export type TypeCreate = Body<'/api/v1/types', 'post'>
export type MoveRequest = Body<'/api/v1/types/{type_id}/move', 'post'>
export type AddRequest = Body<'/api/v1/types/{type_id}/add', 'post'>
export type History = Ok<'/api/v1/types/{type_id}/history', 'get', 200>
export type HistoryGroup = History['groups'][number]
export type ImportSummary = Ok<'/api/v1/import', 'post', 200>
export type Stats = Ok<'/api/v1/stats', 'get', 200>
export type Health = Ok<'/api/v1/health', 'get', 200>
