import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import DeleteType from './DeleteType.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('DeleteType', () => {
  it('asks first, saying what will be lost', async () => {
    const type = makeType(5, 'Orks', { IN_BOX: 1, DONE: 3 })
    const { wrapper } = mountWithI18n(DeleteType, { props: { type, eventCount: 2 }, attachTo: document.body })
    expect(wrapper.find('[data-testid="delete-dialog"]').exists()).toBe(false)
    await wrapper.get('[data-testid="delete-open"]').trigger('click')
    expect(wrapper.get('[data-testid="delete-text"]').text()).toBe(
      '4 miniatures and 2 history entries will be lost. This cannot be undone.',
    )
    expect(wrapper.get('[data-testid="delete-dialog"]').text()).toContain('In box: 1 · Done: 3')
    expect(server.calls).toEqual([])
    wrapper.unmount()
  })

  it('deletes, forgets the type and goes back to the collection', async () => {
    server.on('GET', '/api/v1/types', () => ({ body: [makeType(5, 'Orks')] }))
    server.on('DELETE', '/api/v1/types/5', () => ({ status: 204 }))
    const store = useTypes()
    await store.load()
    const { wrapper, router } = mountWithI18n(DeleteType, { props: { type: store.types.value[0], eventCount: 0 }, attachTo: document.body })
    await router.push('/types/5')
    await wrapper.get('[data-testid="delete-open"]').trigger('click')
    await wrapper.get('[data-testid="delete-confirm"]').trigger('click')
    await flushPromises()
    expect(store.types.value).toEqual([])
    expect(router.currentRoute.value.path).toBe('/')
    wrapper.unmount()
  })
})
