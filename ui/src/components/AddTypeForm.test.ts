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
})
