import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import AddTypeForm from './AddTypeForm.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('AddTypeForm', () => {
  it('drops a stale error as soon as the name is edited', async () => {
    server.on('POST', '/api/v1/types', () => ({ status: 409, body: { code: 'ERR_NAME_TAKEN', params: {} } }))
    const { wrapper } = mountWithI18n(AddTypeForm)
    await wrapper.get('[data-testid="add-type-name"]').setValue('Orks')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="add-type-error"]').text()).toBe('A type with this name already exists.')
    await wrapper.get('[data-testid="add-type-name"]').setValue('Orks Boyz')
    expect(wrapper.find('[data-testid="add-type-error"]').exists()).toBe(false)
  })

  it('puts the cursor back in the name field after adding', async () => {
    server.on('POST', '/api/v1/types', () => ({ status: 201, body: makeType(1, 'Orks', { IN_BOX: 3 }) }))
    const { wrapper } = mountWithI18n(AddTypeForm, { attachTo: document.body })
    const name = wrapper.get('[data-testid="add-type-name"]')
    await name.setValue('Orks')
    await wrapper.get('[data-testid="add-type-qty"]').setValue('3')
    ;(wrapper.get('[data-testid="add-type-qty"]').element as HTMLInputElement).focus()
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect((name.element as HTMLInputElement).value).toBe('')
    expect(document.activeElement).toBe(name.element)
    wrapper.unmount()
  })

  it.each([
    ['en', 'Enter a whole number from 0 to 1,000,000.'],
    ['ru', 'Введите целое число от 0 до 1\u00a0000\u00a0000.'],
  ] as const)('says which numbers it takes, tied to the field (%s)', async (locale, message) => {
    const { wrapper } = mountWithI18n(AddTypeForm, {}, locale)
    await wrapper.get('[data-testid="add-type-name"]').setValue('Orks')
    const qty = wrapper.get('[data-testid="add-type-qty"]')
    for (const text of ['-1', '1.5', 'abc', '1000001']) {
      await qty.setValue(text)
      const hint = wrapper.get('[data-testid="add-type-qty-invalid"]')
      expect(hint.text(), text).toBe(message)
      expect(qty.attributes('aria-invalid'), text).toBe('true')
      expect(qty.attributes('aria-describedby'), text).toBe(hint.attributes('id'))
      expect(wrapper.get('[data-testid="add-type-submit"]').attributes('aria-disabled'), text).toBe('true')
      await wrapper.get('form').trigger('submit')
    }
    await flushPromises()
    expect(server.calls).toHaveLength(0)
    for (const text of ['', '0', '1000000']) {
      await qty.setValue(text)
      expect(wrapper.find('[data-testid="add-type-qty-invalid"]').exists(), text).toBe(false)
      expect(qty.attributes('aria-invalid'), text).toBe('false')
      expect(qty.attributes('aria-describedby'), text).toBeUndefined()
    }
  })
})
