// The import of a backup file: choose it, see what each way of importing would do (a dry run),
// confirm, see the result.
import { computed, ref, shallowRef } from 'vue'
import { api, ApiError, type ImportMode } from '../api/client'
import limits from '../api/limits.json'
import type { ImportSummary, MiniType } from '../api/types'
import type { DesktopBridge } from '../bridge'
import { withTypeName } from '../lib/importProblem'
import { isBridgeFailure } from './useBridge'

export const { MAX_IMPORT_BYTES } = limits

/** What the database holds now: what a replace would delete. */
export interface CollectionSize {
  types: number
  miniatures: number
}

export function collectionSize(types: readonly MiniType[]): CollectionSize {
  return { types: types.length, miniatures: types.reduce((sum, type) => sum + type.total, 0) }
}

export type ImportStep = 'choose' | 'checking' | 'preview' | 'confirm' | 'importing' | 'result'

export function useImportFlow(onImported: () => void | Promise<void>) {
  const step = ref<ImportStep>('choose')
  const fileName = ref('')
  const text = ref('')
  const mode = ref<ImportMode>('merge')
  const previews = shallowRef<Record<ImportMode, ImportSummary> | null>(null)
  const result = shallowRef<ImportSummary | null>(null)
  const error = shallowRef<unknown>(null)
  // Read from the database with the dry run, never from whatever list the screen had loaded.
  const current = shallowRef<CollectionSize | null>(null)

  const preview = computed(() => previews.value?.[mode.value] ?? null)

  async function useText(name: string, content: string): Promise<void> {
    fileName.value = name
    text.value = content
    error.value = null
    step.value = 'checking'
    try {
      const [merge, replace, types] = await Promise.all([
        api.importBackup(content, 'merge', true),
        api.importBackup(content, 'replace', true),
        api.listTypes(),
      ])
      previews.value = { merge, replace }
      current.value = collectionSize(types)
      step.value = 'preview'
    } catch (failure) {
      error.value = withTypeName(failure, content)
      step.value = 'choose'
    }
  }

  async function chooseFile(file: File): Promise<void> {
    if (file.size > MAX_IMPORT_BYTES) {
      fileName.value = file.name
      error.value = new ApiError('ERR_IMPORT_TOO_LARGE', { max_bytes: MAX_IMPORT_BYTES })
      return
    }
    try {
      await useText(file.name, await file.text())
    } catch {
      error.value = new ApiError('ERR_BACKUP_READ_FAILED')
    }
  }

  async function chooseWithBridge(bridge: DesktopBridge): Promise<void> {
    error.value = null
    let picked
    try {
      picked = await bridge.open_backup()
    } catch {
      error.value = new ApiError('ERR_BACKUP_READ_FAILED')
      return
    }
    if (isBridgeFailure(picked)) {
      error.value = new ApiError(picked.code, picked.params ?? {})
      return
    }
    if (picked.text === null) return // the user cancelled the dialog
    await useText(picked.name, picked.text)
  }

  function proceed(): void {
    if (step.value === 'preview') step.value = 'confirm'
  }

  function back(): void {
    if (step.value === 'confirm') step.value = 'preview'
    else {
      step.value = 'choose'
      error.value = null
    }
  }

  async function confirm(): Promise<void> {
    if (step.value !== 'confirm') return
    step.value = 'importing'
    error.value = null
    try {
      result.value = await api.importBackup(text.value, mode.value, false)
      step.value = 'result'
      await onImported()
    } catch (failure) {
      error.value = withTypeName(failure, text.value)
      step.value = 'preview'
    }
  }

  return {
    step,
    fileName,
    mode,
    previews,
    preview,
    result,
    error,
    current,
    chooseFile,
    chooseWithBridge,
    proceed,
    back,
    confirm,
  }
}
