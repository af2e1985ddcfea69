// Wire shapes by their names in the generated OpenAPI schema, so a backend change shows up here.
import type { components } from './schema'

type Schemas = components['schemas']

export type MiniType = Schemas['TypeOut']
/** A type after an add or a move, with the id of the event that change wrote. */
export type ChangedType = Schemas['ChangedType']
export type TypeList = MiniType[]
export type TypeCreate = Schemas['TypeCreate']
export type MoveRequest = Schemas['MoveMiniatures']
export type AddRequest = Schemas['AddMiniatures']
export type History = Schemas['History']
export type HistoryGroup = Schemas['HistoryGroup']
export type ImportMode = Schemas['ImportMode']
export type ImportSummary = Schemas['ImportSummary']
export type Stats = Schemas['Stats']
export type Health = Schemas['Health']
export type BackupList = Schemas['BackupList']
export type BackupEntry = Schemas['BackupEntry']
export type Device = Schemas['DeviceOut']
export type NetworkState = Schemas['NetworkState']
export type Pairing = Schemas['Pairing']
export type SessionOpen = Schemas['SessionOpen']
