import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import codes from '../api/error-codes.json'
import { createAppI18n } from '../i18n'
import { STAGES } from '../stages'
import { IMPORT_RULES, describeImportProblem, parseImportPath, withTypeName, type Translate } from './importProblem'

const languages = { en: createAppI18n('en').global.t as Translate, ru: createAppI18n('ru').global.t as Translate }
type Language = keyof typeof languages

function text(params: Record<string, unknown>, language: Language = 'en', code = 'ERR_IMPORT_INVALID'): string {
  return describeImportProblem(new ApiError(code, params), languages[language], language)
}

// Where the server reports each rule (backend/services/backup_format.py): at least one place each.
const REPORTED_AT: Record<string, string[]> = {
  NOT_JSON: [''],
  NOT_OBJECT: ['', 'types[0]', 'types[0].counts', 'types[0].history[2]', 'groups[1]'],
  NOT_ARRAY: ['types', 'types[0].history', 'groups'],
  NOT_STRING: ['format', 'types[0].name', 'types[0].created_at', 'types[0].history[2].from_stage', 'types[0].history[2].at', 'groups[1].name', 'types[0].group', 'types[0].notes'],
  NOT_INTEGER: ['version', 'types[0].counts.DONE', 'types[0].history[2].qty', 'types[0].history[2].id', 'types[0].history[2].undoes'],
  MISSING: ['format', 'version', 'types', 'types[0].name', 'types[0].history[2].from_stage', 'types[0].history[2].to_stage', 'types[0].history[2].qty', 'types[0].history[2].at', 'groups[1].name'],
  UNKNOWN_FORMAT: ['format'],
  UNKNOWN_VERSION: ['version'],
  NAME_REQUIRED: ['types[0].name', 'groups[1].name'],
  NAME_TOO_LONG: ['types[0].name', 'groups[1].name'],
  DUPLICATE_NAME: ['types[0].name', 'groups[1].name'],
  INVALID_STAGE: ['types[0].counts.FINISHED', 'types[0].counts.a.b[1]', 'types[0].history[2].from_stage', 'types[0].history[2].to_stage'],
  INVALID_TRANSITION: ['types[0].history[2].to_stage'],
  NEGATIVE: ['types[0].counts.IN_BOX', 'types[0].history[2].qty'],
  OUT_OF_RANGE: ['types[0].counts.PAINTING', 'types[0].history[2].qty'],
  INVALID_TIME: ['types[0].created_at', 'types[0].history[2].at', 'groups[1].created_at'],
  DUPLICATE_ID: ['types[0].history[2].id'],
  UNKNOWN_EVENT: ['types[0].history[2].undoes'],
  ALREADY_UNDONE: ['types[0].history[2].undoes'],
  UNDO_MISMATCH: ['types[0].history[2].undoes'],
  UNKNOWN_GROUP: ['types[0].group'],
  NOTES_TOO_LONG: ['types[0].notes'],
}

// What must never reach the user: a path, a rule or stage constant, a field name, a placeholder.
const RAW = [/types\[/, /\[\d+\]/, /\.counts\b/, /\b[A-Z]+_[A-Z_]+\b/, /\b(from_stage|to_stage|created_at|qty)\b/, /[{}]/]

describe('import problems in words', () => {
  it('has a place listed for every rule the server can report', () => {
    expect(Object.keys(REPORTED_AT).sort()).toEqual([...codes.import_rules].sort())
    expect(IMPORT_RULES).toEqual(codes.import_rules)
  })

  it.each(Object.entries(REPORTED_AT).flatMap(([rule, paths]) => paths.map((path) => [rule, path])))(
    '%s at "%s" reads without paths or codes in both languages',
    (rule, path) => {
      for (const language of ['en', 'ru'] as const) {
        const message = text({ path, rule }, language)
        for (const raw of RAW) expect(message, `${language}: ${message}`).not.toMatch(raw)
        expect(message).toMatch(/[.!]$/)
      }
    },
  )

  it('gives each rule its own words at the same place', () => {
    const messages = IMPORT_RULES.filter((rule) => !['NOT_JSON', 'UNKNOWN_FORMAT', 'UNKNOWN_VERSION'].includes(rule)).map(
      (rule) => text({ path: 'types[0].history[2].qty', rule }),
    )
    expect(new Set(messages).size).toBe(messages.length)
  })

  it('names the groups of a file, and the group and notes of a type', () => {
    expect(text({ path: 'groups[1].name', rule: 'DUPLICATE_NAME' })).toBe(
      "This backup file can't be imported; nothing was changed. Problem with the name of the 2nd army / project: an earlier army / project in the file has the same name.",
    )
    expect(text({ path: 'types[0].group', rule: 'UNKNOWN_GROUP', type_name: 'Orks' }, 'ru')).toBe(
      'Этот файл нельзя импортировать; ничего не изменено. Ошибка — армия / проект типа «Orks»: в файле нет такой армии / проекта.',
    )
    expect(text({ path: 'types[2].notes', rule: 'NOTES_TOO_LONG' })).toBe(
      "This backup file can't be imported; nothing was changed. Problem with the notes of the 3rd type: they are longer than 10,000 characters.",
    )
    expect(parseImportPath('groups[4].created_at')).toEqual({ kind: 'groupCreated', group: 4 })
    expect(parseImportPath('groups[4].colour')).toEqual({ kind: 'file' })
  })

  it('says that JSON which is not a backup is not a backup of this app', () => {
    const notBackup = 'This file is not a backup of this app; nothing was changed.'
    expect(text({ path: 'format', rule: 'MISSING' })).toBe(notBackup) // {"foo": 1}
    expect(text({ path: 'format', rule: 'UNKNOWN_FORMAT' })).toBe(notBackup)
    expect(text({ path: 'format', rule: 'NOT_STRING' })).toBe(notBackup)
    expect(text({ path: '', rule: 'NOT_OBJECT' })).toBe(notBackup) // [1, 2]
    expect(text({ path: 'format', rule: 'MISSING' }, 'ru')).toBe('Этот файл — не резервная копия этого приложения; ничего не изменено.')
    expect(text({ path: '', rule: 'NOT_JSON' })).toBe("This file can't be imported: it is not JSON, or it is cut off. Nothing was changed.")
    expect(text({ path: 'version', rule: 'UNKNOWN_VERSION' })).toContain('a version of the app that this one cannot read')
  })

  it('names the type, the stage and the history entry as the user knows them', () => {
    expect(text({ path: 'types[1].counts.PAINTING', rule: 'NEGATIVE', type_name: 'Orks' })).toBe(
      "This backup file can't be imported; nothing was changed. Problem with the count at Painting of the type “Orks”: the number is negative.",
    )
    expect(text({ path: 'types[0].counts.IN_BOX', rule: 'NEGATIVE' }, 'ru')).toBe(
      'Этот файл нельзя импортировать; ничего не изменено. Ошибка — количество на этапе «В коробке» у типа №\u00a01: отрицательное число.',
    )
    expect(text({ path: 'types[21].history[1].qty', rule: 'OUT_OF_RANGE' })).toContain(
      'Problem with the quantity in the 2nd history entry of the 22nd type: the number must be from 1 to 1,000,000.',
    )
    expect(text({ path: 'types[21].history[1].qty', rule: 'OUT_OF_RANGE' }, 'ru')).toContain(
      'Ошибка — количество в записи истории №\u00a02 у типа №\u00a022: число должно быть от 1 до 1\u00a0000\u00a0000.',
    )
    expect(text({ path: 'types[2].name', rule: 'NAME_TOO_LONG' })).toContain('Problem with the name of the 3rd type: it is longer than 100 characters.')
    expect(text({ path: 'types[4].name', rule: 'DUPLICATE_NAME', type_name: 'Tau' }, 'ru')).toContain(
      'Ошибка — название типа «Tau»: такое же название уже есть у типа выше в файле.',
    )
    expect(text({ path: 'types[0]', rule: 'NOT_OBJECT' })).toContain('Problem with the 1st entry in the list of types')
    for (const [index, stage] of STAGES.entries()) {
      const words = ['In box', 'Building', 'Priming', 'Painting', 'Done'][index]
      expect(text({ path: `types[0].counts.${stage}`, rule: 'NOT_INTEGER' })).toContain(`the count at ${words} of`)
    }
  })

  it('says where a merge would pass the limit, with the number grouped', () => {
    const limit = { path: 'types[0].counts.DONE', max: 1000000, type_name: 'Orks' }
    expect(text(limit, 'en', 'ERR_IMPORT_LIMIT')).toBe(
      'Importing would push the count at Done of the type “Orks” past 1,000,000; nothing was changed.',
    )
    expect(text(limit, 'ru', 'ERR_IMPORT_LIMIT')).toBe(
      'Импорт превысил бы 1\u00a0000\u00a0000: количество на этапе «Готово» у типа «Orks»; ничего не изменено.',
    )
  })
})

describe('parseImportPath', () => {
  it('reads every kind of place the server reports', () => {
    expect(parseImportPath('')).toEqual({ kind: 'file' })
    expect(parseImportPath('version')).toEqual({ kind: 'version' })
    expect(parseImportPath('types[3]')).toEqual({ kind: 'typeEntry', type: 3 })
    expect(parseImportPath('types[3].created_at')).toEqual({ kind: 'created', type: 3 })
    expect(parseImportPath('types[3].counts.x.y')).toEqual({ kind: 'count', type: 3, stage: 'x.y' })
    expect(parseImportPath('types[3].history[10]')).toEqual({ kind: 'entry', type: 3, entry: 10 })
    expect(parseImportPath('types[3].history[10].undoes')).toEqual({ kind: 'field', type: 3, entry: 10, field: 'undoes' })
    expect(parseImportPath('somewhere.else')).toEqual({ kind: 'file' })
    expect(parseImportPath(undefined)).toEqual({ kind: 'file' })
  })
})

describe('withTypeName', () => {
  const file = JSON.stringify({
    format: 'miniatures-tracker',
    version: 1,
    types: [{ name: '  Orks ' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 7 }],
  })
  const failure = (path: string, rule = 'NEGATIVE') => new ApiError('ERR_IMPORT_INVALID', { path, rule }, 400)

  it('adds the name of the type the problem is in, as it would be stored', () => {
    const named = withTypeName(failure('types[0].counts.DONE'), file) as ApiError
    expect(named.params).toEqual({ path: 'types[0].counts.DONE', rule: 'NEGATIVE', type_name: 'Orks' })
    expect(named.status).toBe(400)
  })

  it('keeps the position when the name is unusable, absent, or the file cannot be read', () => {
    for (const path of ['types[1].name', 'types[2].name', 'types[3].name', 'types[9].history']) {
      expect((withTypeName(failure(path), file) as ApiError).params.type_name).toBeUndefined()
    }
    expect((withTypeName(failure('types[0].counts.DONE'), '{ cut') as ApiError).params.type_name).toBeUndefined()
    const other = new ApiError('ERR_NETWORK')
    expect(withTypeName(other, file)).toBe(other)
    const whole = failure('version', 'UNKNOWN_VERSION')
    expect(withTypeName(whole, file)).toBe(whole)
  })
})
