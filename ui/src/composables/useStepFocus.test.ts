import { afterEach, describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, ref, type Ref } from 'vue'
import { mountWithI18n } from '../test/mountWithI18n'
import { useStepFocus } from './useStepFocus'

type Step = 'start' | 'checking' | 'preview'

afterEach(() => {
  document.body.innerHTML = ''
})

function mountSteps() {
  const step = ref<Step>('start')
  let status!: Ref<string>
  const seen: [Step, Step][] = []
  const Steps = defineComponent({
    setup() {
      const first = ref<HTMLButtonElement | null>(null)
      const second = ref<HTMLButtonElement | null>(null)
      status = useStepFocus(step, {
        status: { checking: 'backup.checking', preview: 'backup.checked' },
        focus(next, previous) {
          seen.push([next, previous])
          if (next === 'start') return first.value
          if (next === 'preview') return second.value
          return null
        },
      })
      return () =>
        h('div', [
          h('p', { role: 'status' }, status.value),
          h('button', { ref: first, id: 'first' }, 'first'),
          step.value === 'preview' ? h('button', { ref: second, id: 'second' }, 'second') : null,
        ])
    },
  })
  const { wrapper } = mountWithI18n(Steps, { attachTo: document.body })
  return { wrapper, step, status: () => status.value, seen }
}

describe('step focus', () => {
  it('says each step in the status line and puts the focus on its control once it is drawn', async () => {
    const { wrapper, step, status, seen } = mountSteps()
    const first = document.getElementById('first')!
    first.focus()
    step.value = 'checking'
    await nextTick()
    await nextTick()
    expect(status()).toBe('Checking the file…')
    expect(document.activeElement).toBe(first) // no control of its own: the focus stays
    step.value = 'preview'
    await nextTick()
    await nextTick()
    expect(status()).toBe('File checked: choose how to import it.')
    expect(document.activeElement).toBe(document.getElementById('second'))
    step.value = 'start'
    await nextTick()
    await nextTick()
    expect(status()).toBe('')
    expect(document.activeElement).toBe(first)
    expect(seen).toEqual([
      ['checking', 'start'],
      ['preview', 'checking'],
      ['start', 'preview'],
    ])
    wrapper.unmount()
  })
})
