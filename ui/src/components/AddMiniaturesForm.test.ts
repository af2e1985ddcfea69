import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore } from '../composables/useTypes'
import { useToasts } from '../composables/useToasts'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import AddMiniaturesForm from './AddMiniaturesForm.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  useToasts().toasts.value = []
  server = installFakeServer()
})

const orks = makeType(5, 'Orks', { IN_BOX: 2 })

describe('AddMiniaturesForm', () => {
  it('adds the number at the chosen stage, says so and is ready for the next purchase', async () => {
    server.on('POST', '/api/v1/types/5/add', () => ({ body: makeType(5, 'Orks', { IN_BOX: 2, PRIMING: 4 }) }))
    const { wrapper } = mountWithI18n(AddMiniaturesForm, { props: { type: orks } })
    await wrapper.get('[data-testid="add-stage"]').setValue('PRIMING')
    await wrapper.get('[data-testid="add-qty"]').setValue('4')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls[0]).toMatchObject({ path: '/api/v1/types/5/add', body: { stage: 'PRIMING', qty: 4 } })
    expect(wrapper.emitted('added')).toHaveLength(1)
    expect((wrapper.get('[data-testid="add-qty"]').element as HTMLInputElement).value).toBe('1')
    expect(useToasts().toasts.value.map((toast) => toast.key)).toEqual(['type.added'])
  })

  it('shows why the server refused', async () => {
    server.on('POST', '/api/v1/types/5/add', () => ({ status: 400, body: { code: 'ERR_COUNT_LIMIT', params: { max: 1000000 } } }))
    const { wrapper } = mountWithI18n(AddMiniaturesForm, { props: { type: orks } })
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="add-error"]').text()).toBe(
      'That would put more than 1,000,000 miniatures in one stage; nothing was changed.',
    )
    expect(wrapper.emitted('added')).toBeUndefined()
  })

  it.each([
    ['en', 'Enter a whole number from 1 to 1,000,000.'],
    ['ru', 'Введите целое число от 1 до 1\u00a0000\u00a0000.'],
  ] as const)('says which numbers it takes, tied to the field (%s)', async (locale, message) => {
    const { wrapper } = mountWithI18n(AddMiniaturesForm, { props: { type: orks } }, locale)
    const qty = wrapper.get('[data-testid="add-qty"]')
    for (const text of ['-1', '0', '1.5', 'abc', '1000001']) {
      await qty.setValue(text)
      const hint = wrapper.get('[data-testid="add-qty-invalid"]')
      expect(hint.text(), text).toBe(message)
      expect(qty.attributes('aria-invalid'), text).toBe('true')
      expect(qty.attributes('aria-describedby'), text).toBe(hint.attributes('id'))
      expect(wrapper.get('[data-testid="add-submit"]').attributes('aria-disabled'), text).toBe('true')
      await wrapper.get('form').trigger('submit')
    }
    await flushPromises()
    expect(server.calls).toHaveLength(0)
    await qty.setValue('1000000')
    expect(wrapper.find('[data-testid="add-qty-invalid"]').exists()).toBe(false)
    expect(qty.attributes('aria-describedby')).toBeUndefined()
  })
})
