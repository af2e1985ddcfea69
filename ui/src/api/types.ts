// Wire shapes by their names in the generated OpenAPI schema, so a backend change shows up here.
import type { components } from './schema'

type Schemas = components['schemas']

/** A type as the list shows it: whether it has notes, not the notes. */
export type MiniType = Schemas['TypeListItem']
/** A type as a single-type answer gives it: with its notes. */
export type TypeDetail = Schemas['TypeOut']
/** A type after an add or a move, with the id of the event that change wrote. */
export type ChangedType = Schemas['ChangedType']
export type TypeList = MiniType[]
export type TypeCreate = Schemas['TypeCreate']
/** Any of a type's name, group and notes. */
export type TypeChange = Schemas['TypeChange']
/** An army, a faction or a project, with its types' totals. */
export type Group = Schemas['GroupOut']
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
