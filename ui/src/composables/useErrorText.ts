// Turns an ApiError (or a bridge/client failure) into a sentence in the user's language.
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/client'
import codes from '../api/error-codes.json'

export const ERROR_CODES: readonly string[] = [...codes.contract, ...codes.bridge, ...codes.client]
export const IMPORT_RULES: readonly string[] = codes.import_rules

export type Translate = (key: string, named?: Record<string, unknown>) => string

export function errorParams(error: ApiError, t: Translate): Record<string, unknown> {
  const params: Record<string, unknown> = { ...error.params }
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) params[key] = value.join(', ')
  }
  if (typeof params.max_bytes === 'number') {
    const mebibytes = params.max_bytes / (1024 * 1024)
    params.size =
      mebibytes >= 1 ? `${Math.round(mebibytes)} MiB` : `${Math.round(params.max_bytes / 1024)} KiB`
  }
  if (error.code === 'ERR_IMPORT_INVALID') {
    const rule = String(params.rule ?? '')
    params.rule = IMPORT_RULES.includes(rule) ? t(`importRules.${rule}`) : rule
  }
  return params
}

export function describeError(error: unknown, t: Translate): string {
  const apiError = error instanceof ApiError ? error : new ApiError('ERR_INTERNAL')
  const code = ERROR_CODES.includes(apiError.code) ? apiError.code : 'ERR_INTERNAL'
  const params = errorParams(apiError, t)
  if (code === 'ERR_DATABASE_UNAVAILABLE' && params.reason === 'disk_full') return t('databaseReasons.disk_full')
  const text = t(`errors.${code}`, params)
  if (code !== 'ERR_IMPORT_INVALID') return text
  const place =
    params.path === '' || params.path === undefined
      ? t('backup.invalidWhole', params)
      : t('backup.invalidAt', params)
  return `${text} ${place}`
}

export function useErrorText() {
  const { t } = useI18n({ useScope: 'global' })
  return (error: unknown) => describeError(error, t as Translate)
}
