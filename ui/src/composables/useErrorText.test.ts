import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { createAppI18n } from '../i18n'
import { describeError } from './useErrorText'

const en = createAppI18n('en').global.t as (key: string, named?: Record<string, unknown>) => string
const ru = createAppI18n('ru').global.t as (key: string, named?: Record<string, unknown>) => string

describe('describeError', () => {
  it('names the place in the backup file and the broken rule', () => {
    const error = new ApiError('ERR_IMPORT_INVALID', { path: 'types[2].counts.DONE', rule: 'NEGATIVE' })
    expect(describeError(error, en)).toBe(
      "This backup file can't be imported; nothing was changed. Problem at types[2].counts.DONE: a number is negative",
    )
    expect(describeError(error, ru)).toContain('Ошибка в types[2].counts.DONE: отрицательное число')
  })

  it('speaks of the whole file when the path is empty', () => {
    const error = new ApiError('ERR_IMPORT_INVALID', { path: '', rule: 'NOT_JSON' })
    expect(describeError(error, en)).toContain('Problem with the whole file: the file is not JSON')
  })

  it('fills parameters, including list and size ones', () => {
    expect(describeError(new ApiError('ERR_VALIDATION', { fields: ['name', 'qty'] }), en)).toBe('The request was incomplete (name, qty).')
    expect(describeError(new ApiError('ERR_IMPORT_TOO_LARGE', { max_bytes: 20971520 }), ru)).toBe('Файл слишком большой: предел 20 MiB.')
    expect(describeError(new ApiError('ERR_BODY_TOO_LARGE', { max_bytes: 65536 }), en)).toBe('The request is too large: the limit is 64 KiB.')
    expect(describeError(new ApiError('ERR_NAME_TOO_LONG', { max: 100 }), ru)).toBe('Слишком длинное название: не больше 100 символов.')
  })

  it('asks the user to free disk space when the database is down for lack of it', () => {
    const full = new ApiError('ERR_DATABASE_UNAVAILABLE', { reason: 'disk_full' }, 503)
    expect(describeError(full, en)).toBe('The disk is full; nothing was changed. Free some disk space, then try again.')
    expect(describeError(full, ru)).toBe('Диск заполнен; ничего не изменено. Освободите место на диске и попробуйте снова.')
    expect(describeError(new ApiError('ERR_DATABASE_UNAVAILABLE', {}, 503), en)).toBe(en('errors.ERR_DATABASE_UNAVAILABLE'))
  })

  it('falls back to the generic message for an unknown code or a plain exception', () => {
    expect(describeError(new ApiError('ERR_SOMETHING_NEW'), en)).toBe(en('errors.ERR_INTERNAL'))
    expect(describeError(new Error('boom'), en)).toBe(en('errors.ERR_INTERNAL'))
  })
})
