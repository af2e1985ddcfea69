import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { SLOW_MS } from '../composables/useAnnouncer'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { toastText, useToasts } from '../composables/useToasts'
import type { Translate } from '../composables/useErrorText'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import LiveAnnouncer from './LiveAnnouncer.vue'
import TypeRow from './TypeRow.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('TypeRow', () => {
  it('disables the quick action of empty stages and has none for Done', () => {
    const { wrapper } = mountWithI18n(TypeRow, { props: { type: makeType(1, 'Orks', { IN_BOX: 2, DONE: 1 }) } })
    expect(wrapper.get('[data-testid="quick-IN_BOX"]').attributes('disabled')).toBeUndefined()
    for (const stage of ['BUILDING', 'PRIMING', 'PAINTING']) {
      expect(wrapper.get(`[data-testid="quick-${stage}"]`).attributes('disabled')).toBeDefined()
    }
    expect(wrapper.find('[data-testid="quick-DONE"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="type-progress"]').text()).toBe('1 of 3 done')
  })

  it('names the quick action by what it shows first, then what it moves (WCAG 2.5.3)', () => {
    const { wrapper } = mountWithI18n(TypeRow, { props: { type: makeType(1, 'Orks', { IN_BOX: 2 }) } })
    const quick = wrapper.get('[data-testid="quick-IN_BOX"]')
    expect(quick.attributes('aria-label')).toBeUndefined()
    expect(quick.text().replace(/\s+/g, ' ')).toBe('+1 → Building (one Orks miniature from In box)')
    expect(quick.attributes('title')).toBe('Move one Orks miniature from In box to Building')
  })

  it('moves one to the next stage and reports a conflict in the user language', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Orks', { PRIMING: 1 })] }))
    server.on('POST', '/api/v1/types/1/move', () => ({ status: 400, body: { code: 'ERR_INSUFFICIENT_QTY', params: { available: 0 } } }))
    server.on('GET', '/api/v1/types/1', () => ({ body: makeType(1, 'Orks', { PAINTING: 1 }) }))
    const store = useTypes()
    await store.load()
    const { wrapper, i18n } = mountWithI18n(TypeRow, { props: { type: store.types.value[0] } }, 'ru')
    await wrapper.get('[data-testid="quick-PRIMING"]').trigger('click')
    await flushPromises()
    expect(server.calls.find((c) => c.method === 'POST')?.body).toEqual({ from_stage: 'PRIMING', to_stage: 'PAINTING', qty: 1 })
    expect(store.types.value[0].counts.PAINTING).toBe(1)
    const toast = useToasts().toasts.value.at(-1)!
    expect(toast.kind).toBe('error')
    expect(toastText(toast, i18n.global.t as Translate)).toBe('«Orks»: в этапе «Грунтовка» осталось 0, ничего не переведено.')
  })

  it('shows the target stage in words in Russian too', () => {
    const { wrapper } = mountWithI18n(TypeRow, { props: { type: makeType(1, 'Orks', { IN_BOX: 2 }) } }, 'ru')
    const button = wrapper.get('[data-testid="quick-IN_BOX"]')
    expect(button.get('.quick__to').text()).toBe('Сборка')
    expect(button.attributes('style')).toContain('--next-color: var(--stage-BUILDING)')
    expect(button.attributes('title')).toBe('Перевести одну миниатюру «Orks» из этапа «В коробке» в «Сборка»')
  })
})

describe('TypeRow quick buttons and the focus', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keep the focus while the move runs and after it empties the stage, ignoring presses meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let answer: (value: { body: unknown }) => void = () => {}
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Orks', { IN_BOX: 1 })] }))
    server.on('POST', '/api/v1/types/1/move', () => new Promise((resolve) => (answer = resolve)))
    const store = useTypes()
    await store.load()
    const Host = defineComponent(() => () => h('div', [h(TypeRow, { type: store.types.value[0] }), h(LiveAnnouncer)]))
    const { wrapper } = mountWithI18n(Host, { attachTo: document.body })
    const button = wrapper.get('[data-testid="quick-IN_BOX"]')
    ;(button.element as HTMLButtonElement).focus()
    await button.trigger('click')
    await flushPromises()

    // Busy: still focused, still enabled for the browser, but says it cannot act, and says why.
    expect(document.activeElement).toBe(button.element)
    expect(button.attributes('disabled')).toBeUndefined()
    expect(button.attributes('aria-disabled')).toBe('true')
    // The wait is said once it is long; the result's toast is said when it ends.
    const announcer = wrapper.get('[data-testid="announcer"]')
    expect(announcer.text()).toBe('')
    vi.advanceTimersByTime(SLOW_MS)
    await flushPromises()
    expect(announcer.text()).toBe('Moving one Orks miniature from In box to Building…')
    await button.trigger('click')
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(1)

    answer({ body: makeType(1, 'Orks', { BUILDING: 1 }) })
    await flushPromises()
    expect(store.types.value[0].counts.BUILDING).toBe(1)
    expect(announcer.text()).toBe('')
    // In box is empty now: the focused button stays focusable, but cannot act.
    expect(document.activeElement).toBe(button.element)
    expect(button.attributes('disabled')).toBeUndefined()
    expect(button.attributes('aria-disabled')).toBe('true')
    await button.trigger('click')
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(1)
    // Once the focus leaves, the empty stage's button leaves the tab order.
    ;(wrapper.get('[data-testid="quick-BUILDING"]').element as HTMLButtonElement).focus()
    await flushPromises()
    expect(button.attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('say nothing of a move that ends quickly: its toast alone says what happened', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Orks', { IN_BOX: 2 })] }))
    server.on('POST', '/api/v1/types/1/move', () => ({ body: makeType(1, 'Orks', { IN_BOX: 1, BUILDING: 1 }) }))
    const store = useTypes()
    await store.load()
    const Host = defineComponent(() => () => h('div', [h(TypeRow, { type: store.types.value[0] }), h(LiveAnnouncer)]))
    const { wrapper, i18n } = mountWithI18n(Host, { attachTo: document.body })
    await wrapper.get('[data-testid="quick-IN_BOX"]').trigger('click')
    await flushPromises()
    expect(store.types.value[0].counts.BUILDING).toBe(1)
    vi.advanceTimersByTime(SLOW_MS * 5)
    await flushPromises()
    expect(wrapper.get('[data-testid="announcer"]').text()).toBe('')
    const toast = useToasts().toasts.value.at(-1)!
    expect(toastText(toast, i18n.global.t as Translate)).toBe('Orks: 1 moved from In box to Building')
    wrapper.unmount()
  })
})
