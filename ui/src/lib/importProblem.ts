// An import the server refused (ERR_IMPORT_INVALID, ERR_IMPORT_LIMIT), in the user's words:
// where in the file (the type by its name or position, the stage by its word, the history
// entry by its position) and what is wrong there; never the raw path or rule constant.
import { ApiError } from '../api/client'
import codes from '../api/error-codes.json'
import { isStage } from '../stages'
import { MAX_NAME_LENGTH, cleanName, nameLength } from './names'
import { MAX_NOTES_LENGTH } from './notes'
import { MAX_COUNT, formatCount, ordinal } from './numbers'

export type Translate = (key: string, named?: Record<string, unknown>) => string

export const IMPORT_RULES: readonly string[] = codes.import_rules
const EVENT_FIELDS = ['from_stage', 'to_stage', 'qty', 'at', 'id', 'undoes']

/** A place in a backup file, read from the contract's path (`types[2].history[0].qty`). */
export type ImportPlace =
  | { kind: 'file' }
  | { kind: 'format' }
  | { kind: 'version' }
  | { kind: 'types' }
  | { kind: 'groups' }
  | { kind: 'groupEntry' | 'groupName' | 'groupCreated'; group: number }
  | { kind: 'typeEntry'; type: number }
  | { kind: 'name'; type: number }
  | { kind: 'created'; type: number }
  | { kind: 'counts'; type: number }
  | { kind: 'history'; type: number }
  | { kind: 'group'; type: number }
  | { kind: 'notes'; type: number }
  | { kind: 'count'; type: number; stage: string }
  | { kind: 'entry'; type: number; entry: number }
  | { kind: 'field'; type: number; entry: number; field: string }

const TYPE_PATH = /^types\[(\d+)\]([\s\S]*)$/
const GROUP_PATH = /^groups\[(\d+)\](\.name|\.created_at)?$/
const GROUP_KEYS = { '': 'groupEntry', '.name': 'groupName', '.created_at': 'groupCreated' } as const
const ENTRY_PATH = /^\.history\[(\d+)\](?:\.(\w+))?$/
const TYPE_KEYS: Record<string, ImportPlace['kind']> = {
  '': 'typeEntry',
  '.name': 'name',
  '.created_at': 'created',
  '.counts': 'counts',
  '.history': 'history',
  '.group': 'group',
  '.notes': 'notes',
}

export function parseImportPath(path: unknown): ImportPlace {
  if (path === 'format' || path === 'version' || path === 'types' || path === 'groups') return { kind: path }
  const group = typeof path === 'string' ? GROUP_PATH.exec(path) : null
  if (group) return { kind: GROUP_KEYS[(group[2] ?? '') as keyof typeof GROUP_KEYS], group: Number(group[1]) }
  const match = typeof path === 'string' ? TYPE_PATH.exec(path) : null
  if (!match) return { kind: 'file' }
  const type = Number(match[1])
  const rest = match[2]
  const kind = TYPE_KEYS[rest]
  if (
    kind === 'typeEntry' ||
    kind === 'name' ||
    kind === 'created' ||
    kind === 'counts' ||
    kind === 'history' ||
    kind === 'group' ||
    kind === 'notes'
  )
    return { kind, type }
  // A count's key is whatever the file wrote there (an unknown stage may hold dots).
  if (rest.startsWith('.counts.')) return { kind: 'count', type, stage: rest.slice('.counts.'.length) }
  const entry = ENTRY_PATH.exec(rest)
  if (!entry) return { kind: 'file' }
  const field = entry[2]
  if (field === undefined || !EVENT_FIELDS.includes(field)) return { kind: 'entry', type, entry: Number(entry[1]) }
  return { kind: 'field', type, entry: Number(entry[1]), field }
}

/** The type's name from the file itself, when the error is about one type and its name is
 * usable, so the message can say "the type “Orks”" rather than its position. */
export function withTypeName(error: unknown, fileText: string): unknown {
  if (!(error instanceof ApiError) || (error.code !== 'ERR_IMPORT_INVALID' && error.code !== 'ERR_IMPORT_LIMIT'))
    return error
  const place = parseImportPath(error.params.path)
  if (!('type' in place)) return error
  let name: unknown
  try {
    name = (JSON.parse(fileText) as { types?: { name?: unknown }[] }).types?.[place.type]?.name
  } catch {
    return error
  }
  if (typeof name !== 'string') return error
  const cleaned = cleanName(name)
  if (cleaned === '' || nameLength(cleaned) > MAX_NAME_LENGTH) return error
  return new ApiError(error.code, { ...error.params, type_name: cleaned }, error.status)
}

function typeReference(place: { type: number }, typeName: unknown, t: Translate, locale: string): string {
  return typeof typeName === 'string'
    ? t('importPlace.typeNamed', { name: typeName })
    : t('importPlace.typeNth', { nth: ordinal(place.type + 1, locale) })
}

export function describePlace(place: ImportPlace, typeName: unknown, t: Translate, locale: string): string {
  if (place.kind === 'file' || place.kind === 'format') return t('importPlace.file')
  if (place.kind === 'version' || place.kind === 'types' || place.kind === 'groups') return t(`importPlace.${place.kind}`)
  if ('group' in place) return t(`importPlace.${place.kind}`, { nth: ordinal(place.group + 1, locale) })
  if (place.kind === 'typeEntry') return t('importPlace.typeEntry', { nth: ordinal(place.type + 1, locale) })
  const type = typeReference(place, typeName, t, locale)
  if (place.kind === 'count') {
    // A key that is not a stage is a problem with the counts as a whole; the key is not shown.
    if (!isStage(place.stage)) return t('importPlace.counts', { type })
    return t('importPlace.count', { type, stage: t(`stages.${place.stage}`) })
  }
  if (place.kind === 'entry') return t('importPlace.entry', { type, nth: ordinal(place.entry + 1, locale) })
  if (place.kind === 'field')
    return t('importPlace.field', {
      type,
      nth: ordinal(place.entry + 1, locale),
      field: t(`importPlace.fields.${place.field}`),
    })
  return t(`importPlace.${place.kind}`, { type })
}

function describeRule(rule: string, place: ImportPlace, t: Translate, locale: string): string {
  if (!IMPORT_RULES.includes(rule)) return t('importProblem.otherRule')
  if (rule === 'DUPLICATE_NAME' && place.kind === 'groupName') return t('importProblem.duplicateGroup')
  const minimum = place.kind === 'field' && place.field === 'qty' ? 1 : 0
  const maximum = rule === 'NAME_TOO_LONG' ? MAX_NAME_LENGTH : rule === 'NOTES_TOO_LONG' ? MAX_NOTES_LENGTH : MAX_COUNT
  return t(`importRules.${rule}`, { min: formatCount(minimum, locale), max: formatCount(maximum, locale) })
}

/** The sentence for ERR_IMPORT_INVALID or ERR_IMPORT_LIMIT. */
export function describeImportProblem(error: ApiError, t: Translate, locale: string): string {
  const place = parseImportPath(error.params.path)
  const typeName = error.params.type_name
  if (error.code === 'ERR_IMPORT_LIMIT') {
    const max = typeof error.params.max === 'number' ? error.params.max : MAX_COUNT
    return t('errors.ERR_IMPORT_LIMIT', { place: describePlace(place, typeName, t, locale), max: formatCount(max, locale) })
  }
  const rule = String(error.params.rule ?? '')
  if (rule === 'NOT_JSON') return t('importProblem.notJson')
  // Not an object, or no "format" of this app's own: some other JSON file, not a backup.
  if ((place.kind === 'file' && rule === 'NOT_OBJECT') || place.kind === 'format') return t('importProblem.notBackup')
  if (place.kind === 'version' && rule === 'UNKNOWN_VERSION') return t('importProblem.unknownVersion')
  const problem = t('importProblem.at', {
    place: describePlace(place, typeName, t, locale),
    problem: describeRule(rule, place, t, locale),
  })
  return `${t('errors.ERR_IMPORT_INVALID')} ${problem}`
}
