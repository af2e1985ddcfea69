// The app's own copies: the list, "make a copy now", and restoring one (preview, confirm). A
// restore is a replace: its dry run also counts what the database holds now, which it deletes.
import { computed, ref, shallowRef } from 'vue'
import { api, ApiError } from '../api/client'
import type { BackupEntry, ImportSummary } from '../api/types'
import { useReviewFlow } from './useReviewFlow'

export function useCopies(onRestored: (copy: BackupEntry, result: ImportSummary) => void | Promise<void>) {
  const entries = shallowRef<BackupEntry[]>([])
  const loaded = ref(false)
  const taking = ref(false)
  const taken = shallowRef<BackupEntry | null>(null)
  const chosen = shallowRef<BackupEntry | null>(null)
  const preview = shallowRef<ImportSummary | null>(null)
  const review = useReviewFlow({ afterFailure: forgetIfGone })
  const { error } = review
  const busy = computed(() => taking.value || review.busy.value)

  async function load(): Promise<void> {
    try {
      entries.value = (await api.listBackups()).backups
      loaded.value = true
    } catch (failure) {
      error.value = failure
    }
  }

  /** The copy is gone (pruned, deleted by hand): the error says so; show the list as it is now. */
  async function forgetIfGone(failure: unknown): Promise<void> {
    if (failure instanceof ApiError && failure.code === 'ERR_BACKUP_NOT_FOUND') {
      review.restart()
      chosen.value = null
      await load()
    }
  }

  async function take(): Promise<void> {
    if (busy.value) return
    taking.value = true
    error.value = null
    taken.value = null
    try {
      taken.value = await api.takeBackup()
      await load()
    } catch (failure) {
      error.value = failure
    } finally {
      taking.value = false
    }
  }

  async function choose(entry: BackupEntry): Promise<void> {
    if (busy.value) return
    chosen.value = entry
    preview.value = null
    taken.value = null
    await review.check(async () => {
      preview.value = await api.restoreBackup(entry.name, true)
    })
  }

  async function confirm(): Promise<void> {
    const copy = chosen.value
    if (!copy) return
    await review.apply(async () => {
      await onRestored(copy, await api.restoreBackup(copy.name, false))
    })
  }

  return {
    entries,
    loaded,
    taking,
    taken,
    step: review.step,
    chosen,
    preview,
    error,
    busy,
    load,
    take,
    choose,
    proceed: review.proceed,
    back: review.back,
    confirm,
  }
}
