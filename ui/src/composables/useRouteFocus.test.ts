import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { RouterLink, RouterView } from 'vue-router'
import LiveAnnouncer from '../components/LiveAnnouncer.vue'
import { installFakeServer, makeDetail, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import { installRouteFocus } from './useRouteFocus'
import { resetTypesStore } from './useTypes'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
  server.on('GET', '/api/v1/types', () => ({ body: [makeType(5, 'Necrons', { IN_BOX: 2 })] }))
  server.on('GET', '/api/v1/types/5', () => ({ body: makeDetail(5, 'Necrons', { IN_BOX: 2 }) }))
  server.on('GET', '/api/v1/types/5/history', () => ({ body: { groups: [] } }))
})

const Shell = defineComponent(() => () => [
  h('nav', [h(RouterLink, { to: '/', id: 'home' }, () => 'Home')]),
  h(RouterView),
  h(LiveAnnouncer),
])

async function until(check: () => boolean) {
  for (let i = 0; i < 50 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
}

describe('route changes', () => {
  it('move the focus to the new page heading and name the page in the title, said once', async () => {
    const { wrapper, router, i18n } = mountWithI18n(Shell, { attachTo: document.body })
    installRouteFocus(router)
    await router.push('/')
    await flushPromises()
    // The first page keeps the browser's own start; it has its title and a main heading.
    expect(document.title).toBe('Your collection — Miniatures Progress Tracker')
    expect(wrapper.get('main h1').text()).toBe('Your collection')

    const link = wrapper.get('#home').element as HTMLElement
    link.focus()
    await router.push('/types/5')
    await until(() => document.activeElement?.tagName === 'H1')
    const heading = wrapper.get('main h1')
    expect(heading.text()).toBe('Necrons')
    expect(document.activeElement).toBe(heading.element)
    expect(document.title).toBe('Necrons — Miniatures Progress Tracker')
    // The focused heading is read: the live region does not say the page a second time.
    await flushPromises()
    expect(wrapper.get('[data-testid="announcer"]').text()).toBe('')

    i18n.global.locale.value = 'ru'
    await flushPromises()
    expect(document.title).toBe('Necrons — Трекер миниатюр')

    link.focus()
    await router.push('/')
    await until(() => document.activeElement?.tagName === 'H1')
    expect(document.activeElement).toBe(wrapper.get('main h1').element)
    expect(document.title).toBe('Ваша коллекция — Трекер миниатюр')
    await flushPromises()
    expect(wrapper.get('[data-testid="announcer"]').text()).toBe('')
    wrapper.unmount()
  })

  it('leave the focus where the user put it while the page loaded, and say which page it is', async () => {
    // The type is not in the list yet: its page waits for it to load.
    let answer: (value: { body: unknown }) => void = () => {}
    server.on('GET', '/api/v1/types', () => ({ body: [] }))
    server.on('GET', '/api/v1/types/5', () => new Promise((resolve) => (answer = resolve)))
    const { wrapper, router } = mountWithI18n(Shell, { attachTo: document.body })
    installRouteFocus(router)
    await router.push('/')
    await flushPromises()
    const link = wrapper.get('#home').element as HTMLElement
    link.focus()
    await router.push('/types/5')
    await flushPromises()
    const chosen = document.createElement('button')
    document.body.append(chosen)
    chosen.focus()
    answer({ body: makeDetail(5, 'Necrons', { IN_BOX: 2 }) })
    await until(() => wrapper.find('main h1').exists() && wrapper.get('main h1').text() === 'Necrons')
    await until(() => wrapper.get('[data-testid="announcer"]').text() !== '')
    expect(document.activeElement).toBe(chosen)
    expect(wrapper.get('[data-testid="announcer"]').text()).toBe('Necrons — Miniatures Progress Tracker')
    chosen.remove()
    wrapper.unmount()
  })

  it('leave the focus in a dialog that is still open (an import that went back to the list)', async () => {
    const { wrapper, router } = mountWithI18n(Shell, { attachTo: document.body })
    installRouteFocus(router)
    await router.push('/types/5')
    await flushPromises()
    const dialog = document.createElement('dialog')
    dialog.setAttribute('open', '')
    const close = document.createElement('button')
    dialog.append(close)
    document.body.append(dialog)
    close.focus()
    await router.push('/')
    await until(() => wrapper.find('main h1').exists() && wrapper.get('main h1').text() === 'Your collection')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(document.activeElement).toBe(close)
    dialog.remove()
    wrapper.unmount()
  })
})
