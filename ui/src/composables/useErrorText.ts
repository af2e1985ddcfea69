// Turns an ApiError (or a bridge/client failure) into a sentence in the user's language.
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/client'
import codes from '../api/error-codes.json'
import { describeImportProblem, type Translate } from '../lib/importProblem'
import { formatCount, formatSize } from '../lib/numbers'

export { IMPORT_RULES, type Translate } from '../lib/importProblem'
export const ERROR_CODES: readonly string[] = [...codes.contract, ...codes.bridge, ...codes.client]

export function errorParams(error: ApiError, t: Translate, locale: string): Record<string, unknown> {
  const params: Record<string, unknown> = { ...error.params }
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) params[key] = value.join(', ')
    else if (typeof value === 'number') params[key] = formatCount(value, locale)
  }
  const bytes = error.params.max_bytes
  if (typeof bytes === 'number') params.size = formatSize(bytes, locale, t)
  return params
}

export function describeError(error: unknown, t: Translate, locale: string): string {
  const apiError = error instanceof ApiError ? error : new ApiError('ERR_INTERNAL')
  const code = ERROR_CODES.includes(apiError.code) ? apiError.code : 'ERR_INTERNAL'
  if (code === 'ERR_IMPORT_INVALID' || code === 'ERR_IMPORT_LIMIT') return describeImportProblem(apiError, t, locale)
  if (code === 'ERR_DATABASE_UNAVAILABLE' && apiError.params.reason === 'disk_full') return t('databaseReasons.disk_full')
  return t(`errors.${code}`, errorParams(apiError, t, locale))
}

export function useErrorText() {
  const { t, locale } = useI18n({ useScope: 'global' })
  return (error: unknown) => describeError(error, t as Translate, locale.value)
}
