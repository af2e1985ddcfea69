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
    expect(submit.attributes('aria-disabled')).toBeUndefined()
    const qty = wrapper.get('[data-testid="move-qty"]')
    await qty.setValue('4')
    expect(submit.attributes('aria-disabled')).toBe('true')
    const invalid = wrapper.get('[data-testid="move-qty-invalid"]')
    expect(invalid.text()).toBe('Enter a whole number from 1 to 3.')
    expect(qty.attributes('aria-invalid')).toBe('true')
    expect(qty.attributes('aria-describedby')?.split(' ')).toContain(invalid.attributes('id'))
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(0)
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
    expect(wrapper.get('[data-testid="move-submit"]').attributes('aria-disabled')).toBe('true')
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

  it('groups the limit in the user language', async () => {
    const { wrapper } = await mountForm({ IN_BOX: 12345 }, 'ru')
    await wrapper.get('[data-testid="move-qty"]').setValue('12346')
    expect(wrapper.get('[data-testid="move-qty-invalid"]').text()).toBe('Введите целое число от 1 до 12\u00a0345.')
  })

  it('confirms a move, keeps a stage it emptied with a message, and a second Enter moves nothing', async () => {
    server.on('POST', '/api/v1/types/5/move', () => ({ body: makeType(5, 'Orks', { BUILDING: 2, PRIMING: 2 }) }))
    const { wrapper } = await mountForm({ IN_BOX: 2, PRIMING: 2 })
    const from = wrapper.get('[data-testid="move-from"]')
    expect((from.element as HTMLSelectElement).value).toBe('IN_BOX')
    await wrapper.get('[data-testid="move-qty"]').setValue('2')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    const status = wrapper.get('[data-testid="move-status"]')
    expect(status.attributes('role')).toBe('status')
    expect(wrapper.get('[data-testid="move-done"]').text()).toBe('Moved 2 from In box to Building.')
    const empty = wrapper.get('[data-testid="move-from-empty"]')
    expect(empty.text()).toBe('Nothing is left in In box. Choose another stage to move from.')
    expect(from.attributes('aria-describedby')).toBe(empty.attributes('id'))
    expect((from.element as HTMLSelectElement).value).toBe('IN_BOX')
    expect(wrapper.get('[data-testid="move-available"]').text()).toBe('Available: 0')
    expect(wrapper.get('[data-testid="move-submit"]').attributes('aria-disabled')).toBe('true')

    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls.filter((call) => call.method === 'POST')).toHaveLength(1)

    // The user picks another stage: the confirmation and the empty stage go.
    await from.setValue('PRIMING')
    expect(wrapper.find('[data-testid="move-done"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="move-from-empty"]').exists()).toBe(false)
    expect(from.findAll('option').map((option) => option.element.value)).toEqual(['BUILDING', 'PRIMING'])
  })
})
