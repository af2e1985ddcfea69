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

  it('says how many characters are left near the 100 limit, and refuses a longer name', async () => {
    const { wrapper } = mountWithI18n(AddTypeForm)
    const name = wrapper.get('[data-testid="add-type-name"]')
    const hint = () => wrapper.find('[data-testid="add-type-name-hint"]')
    const live = () => wrapper.get('[data-testid="add-type-name-hint-live"]').text()
    const submit = wrapper.get('[data-testid="add-type-submit"]')
    expect(name.attributes('maxlength')).toBeUndefined() // a pasted long name is said, not cut silently

    await name.setValue('a'.repeat(79))
    expect(hint().exists()).toBe(false)
    expect(live()).toBe('')
    await name.setValue('a'.repeat(88))
    expect(hint().text()).toBe('12 characters left')
    expect(name.attributes('aria-describedby')).toBe(hint().attributes('id'))
    expect(live()).toBe('12 characters left') // crossing 20 left is said once
    await name.setValue('a'.repeat(89))
    expect(hint().text()).toBe('11 characters left')
    expect(live()).toBe('12 characters left') // not on every key
    // Counted after trimming, as the server counts: spaces around do not use the limit.
    await name.setValue(`  ${'a'.repeat(99)}  `)
    expect(hint().text()).toBe('1 character left')
    expect(submit.attributes('aria-disabled')).toBeUndefined()

    await name.setValue('a'.repeat(103))
    expect(hint().text()).toBe('3 characters too many: at most 100')
    expect(live()).toBe('3 characters too many: at most 100')
    expect(name.attributes('aria-invalid')).toBe('true')
    expect(submit.attributes('aria-disabled')).toBe('true')
    await wrapper.get('form').trigger('submit')
    expect(server.calls).toHaveLength(0)
  })

  it('uses the Russian plural forms in the hint', async () => {
    const { wrapper } = mountWithI18n(AddTypeForm, {}, 'ru')
    const name = wrapper.get('[data-testid="add-type-name"]')
    const hint = () => wrapper.get('[data-testid="add-type-name-hint"]').text()
    const cases: [number, string][] = [
      [99, 'Остался 1 символ'],
      [98, 'Осталось 2 символа'],
      [88, 'Осталось 12 символов'],
      [80, 'Осталось 20 символов'],
      [121, 'Лишний 21 символ: не больше 100'],
      [100, 'Осталось 0 символов'],
      [101, 'Лишний 1 символ: не больше 100'],
      [103, 'Лишние 3 символа: не больше 100'],
      [105, 'Лишних 5 символов: не больше 100'],
    ]
    for (const [length, text] of cases) {
      await name.setValue('я'.repeat(length))
      expect(hint()).toBe(text)
    }
  })
})
