import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { createAppI18n } from '../i18n'
import { describeError } from './useErrorText'

type T = (key: string, named?: Record<string, unknown>) => string
const enT = createAppI18n('en').global.t as T
const ruT = createAppI18n('ru').global.t as T
const en = (error: unknown) => describeError(error, enT, 'en')
const ru = (error: unknown) => describeError(error, ruT, 'ru')

describe('describeError', () => {
  it('speaks of an import problem in words, never by its path or rule', () => {
    const error = new ApiError('ERR_IMPORT_INVALID', { path: 'types[2].counts.DONE', rule: 'NEGATIVE' })
    expect(en(error)).toBe(
      "This backup file can't be imported; nothing was changed. Problem with the count at Done of the 3rd type: the number is negative.",
    )
    expect(ru(error)).toBe(
      'Этот файл нельзя импортировать; ничего не изменено. Ошибка — количество на этапе «Готово» у типа №\u00a03: отрицательное число.',
    )
  })

  it('says a JSON file that is not a backup is not a backup of this app', () => {
    const error = new ApiError('ERR_IMPORT_INVALID', { path: 'format', rule: 'MISSING' })
    expect(en(error)).toBe('This file is not a backup of this app; nothing was changed.')
    expect(ru(error)).toBe('Этот файл — не резервная копия этого приложения; ничего не изменено.')
  })

  it('fills parameters, grouping numbers and naming sizes in the language', () => {
    expect(en(new ApiError('ERR_VALIDATION', { fields: ['name', 'qty'] }))).toBe('The request was incomplete (name, qty).')
    expect(en(new ApiError('ERR_IMPORT_TOO_LARGE', { max_bytes: 20971520 }))).toBe('The file is too large: the limit is 20 MiB.')
    expect(ru(new ApiError('ERR_IMPORT_TOO_LARGE', { max_bytes: 20971520 }))).toBe('Файл слишком большой: предел 20 МиБ.')
    expect(en(new ApiError('ERR_BODY_TOO_LARGE', { max_bytes: 65536 }))).toBe('The request is too large: the limit is 64 KiB.')
    expect(ru(new ApiError('ERR_BODY_TOO_LARGE', { max_bytes: 65536 }))).toBe('Запрос слишком большой: предел 64 КиБ.')
    expect(ru(new ApiError('ERR_NAME_TOO_LONG', { max: 100 }))).toBe('Слишком длинное название: не больше 100 символов.')
    expect(en(new ApiError('ERR_INVALID_QTY', { min: 1, max: 1000000 }))).toBe('Enter a whole number from 1 to 1,000,000.')
    expect(ru(new ApiError('ERR_INVALID_QTY', { min: 1, max: 1000000 }))).toBe('Введите целое число от 1 до 1\u00a0000\u00a0000.')
    expect(en(new ApiError('ERR_COUNT_LIMIT', { max: 1000000 }))).toContain('more than 1,000,000 miniatures')
    expect(en(new ApiError('ERR_INSUFFICIENT_QTY', { available: 12345 }))).toContain('only 12,345 available')
  })

  it('asks the user to free disk space when the database is down for lack of it', () => {
    const full = new ApiError('ERR_DATABASE_UNAVAILABLE', { reason: 'disk_full' }, 503)
    expect(en(full)).toBe('The disk is full; nothing was changed. Free some disk space, then try again.')
    expect(ru(full)).toBe('Диск заполнен; ничего не изменено. Освободите место на диске и попробуйте снова.')
    expect(en(new ApiError('ERR_DATABASE_UNAVAILABLE', {}, 503))).toBe(enT('errors.ERR_DATABASE_UNAVAILABLE'))
  })

  it('falls back to the generic message for an unknown code or a plain exception', () => {
    expect(en(new ApiError('ERR_SOMETHING_NEW'))).toBe(enT('errors.ERR_INTERNAL'))
    expect(en(new Error('boom'))).toBe(enT('errors.ERR_INTERNAL'))
  })
})
