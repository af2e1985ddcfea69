// The steps of a change the user reviews before it is made (an import, a restore): start →
// checking (a dry run) → preview → confirm (the question) → applying → done. Nothing is applied
// without a preview and an explicit yes; Back goes from the question to the preview and from the
// preview to the start; a failure leaves the user on the step where they can act on it.
import { computed, ref, shallowRef } from 'vue'

export type ReviewStep = 'start' | 'checking' | 'preview' | 'confirm' | 'applying' | 'done'

export interface ReviewOptions {
  /** The failure as the user is told it (e.g. with the name of the type it is in). */
  explain?: (failure: unknown) => unknown
  /** Runs once a failed check or change is on screen (e.g. to reload a list that is behind). */
  afterFailure?: (failure: unknown) => void | Promise<void>
}

export function useReviewFlow({ explain = (failure) => failure, afterFailure }: ReviewOptions = {}) {
  const step = ref<ReviewStep>('start')
  const error = shallowRef<unknown>(null)
  const busy = computed(() => step.value === 'checking' || step.value === 'applying')

  async function failed(failure: unknown, backTo: ReviewStep): Promise<false> {
    error.value = explain(failure)
    step.value = backTo
    await afterFailure?.(failure)
    return false
  }

  /** The dry run: its preview when it succeeds, back to the start with the reason when not. */
  async function check(dryRun: () => Promise<void>): Promise<boolean> {
    error.value = null
    step.value = 'checking'
    try {
      await dryRun()
    } catch (failure) {
      return failed(failure, 'start')
    }
    step.value = 'preview'
    return true
  }

  function proceed(): void {
    if (step.value === 'preview') step.value = 'confirm'
  }

  function back(): void {
    if (step.value === 'confirm') step.value = 'preview'
    else if (step.value === 'preview') {
      step.value = 'start'
      error.value = null
    }
  }

  /** Back to the start, keeping the error on screen (what was chosen is gone). */
  function restart(): void {
    step.value = 'start'
  }

  /** Makes the change once the question has been answered; a failure goes back to the preview. */
  async function apply(change: () => Promise<void>): Promise<boolean> {
    if (step.value !== 'confirm') return false
    step.value = 'applying'
    error.value = null
    try {
      await change()
    } catch (failure) {
      return failed(failure, 'preview')
    }
    step.value = 'done'
    return true
  }

  return { step, error, busy, check, proceed, back, restart, apply }
}
