// The import of a backup file: choose it, see what importing it would do, confirm, see the result.
// The file goes to the server once for the dry run of the way shown (merge), and once more only
// if the user turns to the other way (replace), whose answer is then kept for this file.
import { computed, ref, shallowRef, watch } from 'vue'
import { api, ApiError, type ImportMode } from '../api/client'
import limits from '../api/limits.json'
import type { ImportSummary } from '../api/types'
import type { DesktopBridge } from '../bridge'
import { withTypeName } from '../lib/importProblem'
import { isBridgeFailure } from './useBridge'
import { useReviewFlow } from './useReviewFlow'

export const { MAX_IMPORT_BYTES } = limits

/** The dry run of one way of importing the chosen file. `failure` stays while it is tried again. */
export interface ModeCheck {
  summary: ImportSummary | null
  checking: boolean
  failure: unknown
}

export function useImportFlow(onImported: () => void | Promise<void>) {
  const fileName = ref('')
  const text = ref('')
  const mode = ref<ImportMode>('merge')
  const checks = shallowRef<Partial<Record<ImportMode, ModeCheck>>>({})
  const result = shallowRef<ImportSummary | null>(null)
  const explain = (failure: unknown) => withTypeName(failure, text.value)
  const review = useReviewFlow({ explain })
  // Counts the files chosen: an answer about an earlier file is dropped.
  let chosen = 0

  /** The preview of the way chosen now, once its dry run has answered. */
  const preview = computed(() => checks.value[mode.value]?.summary ?? null)

  function setCheck(which: ImportMode, check: ModeCheck): void {
    checks.value = { ...checks.value, [which]: check }
  }

  async function checkText(name: string, content: string): Promise<void> {
    chosen += 1
    fileName.value = name
    text.value = content
    checks.value = {}
    mode.value = 'merge' // a new file starts on the way that deletes nothing
    await review.check(async () => {
      setCheck('merge', { summary: await api.importBackup(content, 'merge', true), checking: false, failure: null })
    })
  }

  /** The dry run of the other way, when the user turns to it (or tries it again after a failure). */
  async function checkMode(which: ImportMode = mode.value): Promise<void> {
    const before = checks.value[which]
    if (before?.summary || before?.checking) return
    const file = chosen
    setCheck(which, { summary: null, checking: true, failure: before?.failure ?? null })
    let after: ModeCheck
    try {
      after = { summary: await api.importBackup(text.value, which, true), checking: false, failure: null }
    } catch (failure) {
      after = { summary: null, checking: false, failure: explain(failure) }
    }
    if (file === chosen) setCheck(which, after)
  }

  watch(mode, (which) => {
    if (review.step.value === 'preview') void checkMode(which)
  })

  async function chooseFile(file: File): Promise<void> {
    if (file.size > MAX_IMPORT_BYTES) {
      fileName.value = file.name
      review.error.value = new ApiError('ERR_IMPORT_TOO_LARGE', { max_bytes: MAX_IMPORT_BYTES })
      return
    }
    let content: string
    try {
      content = await file.text()
    } catch {
      review.error.value = new ApiError('ERR_BACKUP_READ_FAILED')
      return
    }
    await checkText(file.name, content)
  }

  async function chooseWithBridge(bridge: DesktopBridge): Promise<void> {
    review.error.value = null
    let picked
    try {
      picked = await bridge.open_backup()
    } catch {
      review.error.value = new ApiError('ERR_BACKUP_READ_FAILED')
      return
    }
    if (isBridgeFailure(picked)) {
      review.error.value = new ApiError(picked.code, picked.params ?? {})
      return
    }
    if (picked.text === null) return // the user cancelled the dialog
    await checkText(picked.name, picked.text)
  }

  /** On to the question, once the chosen way's dry run has answered. */
  function proceed(): void {
    if (preview.value) review.proceed()
  }

  async function confirm(): Promise<void> {
    const done = await review.apply(async () => {
      result.value = await api.importBackup(text.value, mode.value, false)
    })
    if (done) await onImported()
  }

  return {
    step: review.step,
    error: review.error,
    fileName,
    mode,
    checks,
    preview,
    result,
    chooseFile,
    chooseWithBridge,
    checkMode,
    proceed,
    back: review.back,
    confirm,
  }
}
