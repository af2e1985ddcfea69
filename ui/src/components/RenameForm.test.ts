import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import RenameForm from './RenameForm.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

const input = '[data-testid="rename-input"]'

describe('RenameForm', () => {
  it('offers the button only for a different name and sends it trimmed', async () => {
    server.on('PATCH', '/api/v1/types/5', () => ({ body: makeType(5, 'Orks Boyz') }))
    const { wrapper } = mountWithI18n(RenameForm, { props: { type: makeType(5, 'Orks') } })
    const submit = wrapper.get('[data-testid="rename-submit"]')
    expect(submit.attributes('aria-disabled')).toBe('true')
    await wrapper.get('form').trigger('submit')
    expect(server.calls).toHaveLength(0)
    await wrapper.get(input).setValue('  Orks Boyz ')
    expect(submit.attributes('aria-disabled')).toBeUndefined()
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls[0]).toMatchObject({ method: 'PATCH', body: { name: 'Orks Boyz' } })
    expect((wrapper.get(input).element as HTMLInputElement).value).toBe('Orks Boyz')
  })

  it('follows a rename from another window, but not over what the user is typing', async () => {
    const { wrapper } = mountWithI18n(RenameForm, { props: { type: makeType(5, 'Orks') } })
    await wrapper.setProps({ type: makeType(5, 'Orcs') })
    expect((wrapper.get(input).element as HTMLInputElement).value).toBe('Orcs')
    await wrapper.get(input).setValue('Goffs')
    await wrapper.setProps({ type: makeType(5, 'Orkz') })
    expect((wrapper.get(input).element as HTMLInputElement).value).toBe('Goffs')
  })

  it('says when the name is taken', async () => {
    server.on('PATCH', '/api/v1/types/5', () => ({ status: 400, body: { code: 'ERR_NAME_TAKEN', params: {} } }))
    const { wrapper } = mountWithI18n(RenameForm, { props: { type: makeType(5, 'Orks') } })
    await wrapper.get(input).setValue('Tau')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="rename-error"]').text()).toBe('A type with this name already exists.')
  })

  it('says when the new name is too long and does not send it', async () => {
    const { wrapper } = mountWithI18n(RenameForm, { props: { type: makeType(5, 'Orks') } })
    await wrapper.get(input).setValue('😀'.repeat(95)) // one character each, as the server counts
    expect(wrapper.get('[data-testid="rename-hint"]').text()).toBe('5 characters left')
    await wrapper.get(input).setValue('😀'.repeat(120))
    expect(wrapper.get('[data-testid="rename-hint"]').text()).toBe('20 characters too many: at most 100')
    expect(wrapper.get('[data-testid="rename-submit"]').attributes('aria-disabled')).toBe('true')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls).toHaveLength(0)
  })
})
