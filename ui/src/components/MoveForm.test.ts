import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { computed, defineComponent, h } from 'vue'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import MoveForm from './MoveForm.vue'

let server: FakeServer

// The form reads its type from the shared store, as the pages do.
const Host = defineComponent({
  setup() {
    const store = useTypes()
    const type = computed(() => store.types.value[0])
    return () => (type.value ? h(MoveForm, { type: type.value }) : null)
  },
})

async function mountForm(counts: Record<string, number>, locale: 'en' | 'ru' = 'en') {
  server.on('GET', '/api/v1/types', () => ({ body: [makeType(5, 'Orks', counts)] }))
  await useTypes().load()
  const mounted = mountWithI18n(Host, {}, locale)
  await flushPromises()
  return mounted
}

beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('MoveForm', () => {
  it('shows what is available and disables the button on invalid input', async () => {
    const { wrapper } = await mountForm({ IN_BOX: 3, DONE: 1 })
    expect(wrapper.get('[data-testid="move-available"]').text()).toBe('Available: 3')
    const options = wrapper.get('[data-testid="move-from"]').findAll('option').map((o) => o.element.value)
    expect(options).toEqual(['IN_BOX'])
    const submit = wrapper.get('[data-testid="move-submit"]')
    expect(submit.attributes('disabled')).toBeUndefined()
    await wrapper.get('[data-testid="move-qty"]').setValue('4')
    expect(submit.attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="move-invalid"]').text()).toBe('Enter a whole number from 1 to 3.')
  })

  it('shows only an explanation when nothing can move', async () => {
    const { wrapper } = await mountForm({ DONE: 2 }, 'ru')
    expect(wrapper.find('[data-testid="move-nothing"]').exists()).toBe(true)
    for (const field of ['move-from', 'move-to', 'move-qty', 'move-available', 'move-submit']) {
      expect(wrapper.find(`[data-testid="${field}"]`).exists(), field).toBe(false)
    }
  })

  it('submits with Enter and sends the chosen stages', async () => {
    server.on('POST', '/api/v1/types/5/move', () => ({ body: makeType(5, 'Orks', { IN_BOX: 1, PRIMING: 2 }) }))
    const { wrapper } = await mountForm({ IN_BOX: 3 })
    await wrapper.get('[data-testid="move-to"]').setValue('PRIMING')
    await wrapper.get('[data-testid="move-qty"]').setValue('2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls.at(-1)?.body).toEqual({ from_stage: 'IN_BOX', to_stage: 'PRIMING', qty: 2 })
    expect(wrapper.get('[data-testid="move-available"]').text()).toBe('Available: 1')
  })

  it('after a conflict reloads the type and shows the new available number', async () => {
    server.on('POST', '/api/v1/types/5/move', () => ({ status: 400, body: { code: 'ERR_INSUFFICIENT_QTY', params: { available: 1 } } }))
    server.on('GET', '/api/v1/types/5', () => ({ body: makeType(5, 'Orks', { IN_BOX: 1, BUILDING: 2 }) }))
    const { wrapper } = await mountForm({ IN_BOX: 3 }, 'ru')
    await wrapper.get('[data-testid="move-qty"]').setValue('3')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="move-error"]').text()).toBe('В этапе «В коробке» осталось 1.')
    expect(wrapper.get('[data-testid="move-available"]').text()).toBe('Доступно: 1')
    expect(wrapper.get('[data-testid="move-submit"]').attributes('disabled')).toBeDefined()
    // Changing the number clears the stale message.
    await wrapper.get('[data-testid="move-qty"]').setValue('1')
    expect(wrapper.find('[data-testid="move-error"]').exists()).toBe(false)
  })

  it('keeps the chosen stage when a conflict emptied it and names it in the message', async () => {
    server.on('POST', '/api/v1/types/5/move', () => ({ status: 400, body: { code: 'ERR_INSUFFICIENT_QTY', params: { available: 0 } } }))
    server.on('GET', '/api/v1/types/5', () => ({ body: makeType(5, 'Orks', { BUILDING: 1, PRIMING: 2 }) }))
    const { wrapper } = await mountForm({ BUILDING: 1, PRIMING: 2 })
    await wrapper.get('[data-testid="move-from"]').setValue('BUILDING')
    server.on('GET', '/api/v1/types/5', () => ({ body: makeType(5, 'Orks', { PRIMING: 3 }) }))
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect((wrapper.get('[data-testid="move-from"]').element as HTMLSelectElement).value).toBe('BUILDING')
    expect(wrapper.get('[data-testid="move-available"]').text()).toBe('Available: 0')
    expect(wrapper.get('[data-testid="move-error"]').text()).toBe('Only 0 left in Building.')
  })
})
