// The app's own copies: the list, "make a copy now", and restoring one (preview, confirm).
import { computed, ref, shallowRef } from 'vue'
import { api, ApiError } from '../api/client'
import type { BackupEntry, ImportSummary } from '../api/types'
import { collectionSize, type CollectionSize } from './useImportFlow'

export type RestoreStep = 'list' | 'checking' | 'preview' | 'confirm' | 'restoring'

export function useCopies(onRestored: (copy: BackupEntry, result: ImportSummary) => void | Promise<void>) {
  const entries = shallowRef<BackupEntry[]>([])
  const loaded = ref(false)
  const taking = ref(false)
  const taken = shallowRef<BackupEntry | null>(null)
  const step = ref<RestoreStep>('list')
  const chosen = shallowRef<BackupEntry | null>(null)
  const preview = shallowRef<ImportSummary | null>(null)
  // What a restore would replace, read from the database with the preview.
  const current = shallowRef<CollectionSize | null>(null)
  const error = shallowRef<unknown>(null)
  const busy = computed(() => taking.value || step.value === 'checking' || step.value === 'restoring')

  async function load(): Promise<void> {
    try {
      entries.value = (await api.listBackups()).backups
      loaded.value = true
    } catch (failure) {
      error.value = failure
    }
  }

  /** The copy is gone (pruned, deleted by hand): say so and show the list as it is now. */
  async function afterFailure(failure: unknown): Promise<void> {
    error.value = failure
    if (failure instanceof ApiError && failure.code === 'ERR_BACKUP_NOT_FOUND') {
      step.value = 'list'
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
    error.value = null
    taken.value = null
    step.value = 'checking'
    try {
      const [summary, types] = await Promise.all([api.restoreBackup(entry.name, true), api.listTypes()])
      preview.value = summary
      current.value = collectionSize(types)
      step.value = 'preview'
    } catch (failure) {
      step.value = 'list'
      await afterFailure(failure)
    }
  }

  function proceed(): void {
    if (step.value === 'preview') step.value = 'confirm'
  }

  function back(): void {
    if (step.value === 'confirm') step.value = 'preview'
    else if (step.value === 'preview') {
      step.value = 'list'
      error.value = null
    }
  }

  async function confirm(): Promise<void> {
    const copy = chosen.value
    if (step.value !== 'confirm' || !copy) return
    step.value = 'restoring'
    error.value = null
    try {
      const result = await api.restoreBackup(copy.name, false)
      await onRestored(copy, result)
    } catch (failure) {
      step.value = 'preview'
      await afterFailure(failure)
    }
  }

  return { entries, loaded, taking, taken, step, chosen, preview, current, error, busy, load, take, choose, proceed, back, confirm }
}
