// Focus and a word at each step of a dialog's flow: each step puts the focus on its first control
// and a polite status line says what happened, so a keyboard or screen reader user is never left
// on a button that has just gone. (A button that starts the next step stays in place, marked busy
// with aria-disabled, never disabled: that would drop the focus.)
import { nextTick, ref, watch, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'

export interface StepFocus<S extends string> {
  /** The message key the status line says when a step begins (none: the line is cleared). */
  status: Partial<Record<S, string>>
  /** The control that takes the focus when a step begins (none: the focus stays). */
  focus: (next: S, previous: S) => HTMLElement | null | undefined
}

/** Returns the status line's text, for an element with role="status". */
export function useStepFocus<S extends string>(step: Ref<S>, { status: keys, focus }: StepFocus<S>): Ref<string> {
  const { t } = useI18n()
  const status = ref('')
  watch(step, async (next, previous) => {
    const key = keys[next]
    status.value = key ? t(key) : ''
    await nextTick()
    focus(next, previous)?.focus()
  })
  return status
}
