// Counts in words: "3 types" with the number grouped as the language writes it (1,000,007 in
// English, 1 000 007 in Russian), and what a replace would delete, in the database's own count.
import { useI18n } from 'vue-i18n'
import type { ImportSummary } from '../api/types'
import { formatCount } from '../lib/numbers'

/** A replace dry run's count of what the database holds now, all of which the replace deletes. */
export type DeletedCounts = Pick<ImportSummary, 'types_deleted' | 'miniatures_deleted'>

export function useCountedText() {
  const { t, locale } = useI18n()

  /** `key` is a plural message with {n}: "{n} type | {n} types". */
  function counted(key: string, n: number): string {
    return t(key, { n: formatCount(n, locale.value) }, n)
  }

  /** "3 types" and "7 miniatures": what a replace would delete. */
  function deleted(summary: DeletedCounts): { types: string; miniatures: string } {
    return {
      types: counted('common.types', summary.types_deleted ?? 0),
      miniatures: counted('common.miniatures', summary.miniatures_deleted ?? 0),
    }
  }

  /** The warning before a replace: what it deletes, or that the collection is empty. */
  function replaceWarning(summary: DeletedCounts): string {
    return summary.types_deleted ? t('backup.replaceWarning', deleted(summary)) : t('backup.replaceNothing')
  }

  return { counted, deleted, replaceWarning }
}
