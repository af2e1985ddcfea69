import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore } from '../composables/useTypes'
import { installFakeServer, makeDetail, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import TypeView from './TypeView.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('TypeView', () => {
  it('says the type is gone, with focus on it, when it was deleted in another window', async () => {
    server.on('GET', '/api/v1/types/5', () => ({ body: makeDetail(5, 'Orks', { IN_BOX: 2 }) }))
    server.on('GET', '/api/v1/types/5/history', () => ({ body: { groups: [] } }))
    const { wrapper } = mountWithI18n(TypeView, { props: { id: '5' }, attachTo: document.body })
    await flushPromises()
    expect(wrapper.get('[data-testid="type-title"]').text()).toBe('Orks')

    server.on('POST', '/api/v1/types/5/add', () => ({ status: 404, body: { code: 'ERR_TYPE_NOT_FOUND', params: {} } }))
    await wrapper.get('[data-testid="add-form"]').trigger('submit')
    await flushPromises()
    const message = wrapper.get('[data-testid="type-missing"]')
    expect(message.text()).toContain('This type does not exist any more.')
    expect(document.activeElement).toBe(message.get('h1').element)
    wrapper.unmount()
  })
})
