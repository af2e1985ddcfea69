import { flushPromises } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ToastList from '../components/ToastList.vue'
import TypeRow from '../components/TypeRow.vue'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import type { Translate } from './useErrorText'
import { dismissToast, toastText, UNDO_TOAST_MS, useToasts } from './useToasts'
import { resetTypesStore, useTypes } from './useTypes'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  for (const toast of useToasts().toasts.value) dismissToast(toast.id)
  server = installFakeServer()
  server.on('GET', '/api/v1/types', () => ({ body: [makeType(1, 'Orks', { IN_BOX: 3 })] }))
  server.on('POST', '/api/v1/types/1/move', () => ({
    body: { ...makeType(1, 'Orks', { IN_BOX: 2, BUILDING: 1 }), event_id: 41 },
  }))
})
afterEach(() => {
  vi.useRealTimers()
})

async function quickMove(locale: 'en' | 'ru' = 'en') {
  const store = useTypes()
  await store.load()
  const row = mountWithI18n(TypeRow, { props: { type: store.types.value[0] } }, locale)
  const toasts = mountWithI18n(ToastList, {}, locale)
  await row.wrapper.get('[data-testid="quick-IN_BOX"]').trigger('click')
  await flushPromises()
  return { store, toasts: toasts.wrapper, i18n: toasts.i18n }
}

describe('undo from the toast', () => {
  it('says what the quick move did and offers Undo, named by its visible word', async () => {
    const { toasts, i18n } = await quickMove('ru')
    const toast = useToasts().toasts.value.at(-1)!
    expect(toastText(toast, i18n.global.t as Translate)).toBe('Orks: 1 из «В коробке» в «Сборка»')
    const button = toasts.get('[data-testid="toast-action"]')
    expect(button.text()).toBe('Отменить')
    expect(button.attributes('aria-label')).toBe('Отменить: Orks: 1 из «В коробке» в «Сборка»')
  })

  it('takes back exactly that event and shows the type as the server answers', async () => {
    server.on('POST', '/api/v1/types/1/undo', () => ({ body: makeType(1, 'Orks', { IN_BOX: 3 }) }))
    const { store, toasts } = await quickMove()
    expect(store.types.value[0].counts.BUILDING).toBe(1)
    await toasts.get('[data-testid="toast-action"]').trigger('click')
    await flushPromises()
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/types/1/undo', body: { event_ids: [41] } })
    expect(store.types.value[0].counts).toMatchObject({ IN_BOX: 3, BUILDING: 0 })
    expect(store.undoRevision.value).toBe(1)
    expect(toasts.text()).toContain('Undone: “Orks” is as it was before.')
  })

  it('explains an undo that another window made first, and reloads the type', async () => {
    server.on('POST', '/api/v1/types/1/undo', () => ({
      status: 400,
      body: { code: 'ERR_ALREADY_UNDONE', params: { event_id: 41 } },
    }))
    server.on('GET', '/api/v1/types/1', () => ({ body: makeType(1, 'Orks', { IN_BOX: 3 }) }))
    const { store, toasts } = await quickMove()
    await toasts.get('[data-testid="toast-action"]').trigger('click')
    await flushPromises()
    expect(store.types.value[0].counts.IN_BOX).toBe(3)
    expect(useToasts().toasts.value.at(-1)!.kind).toBe('error')
    expect(toasts.text()).toContain('That change was already undone')
  })

  it('stays about ten seconds, and as long as the pointer or the focus is on it', async () => {
    vi.useFakeTimers()
    const { toasts } = await quickMove()
    const id = useToasts().toasts.value.at(-1)!.id
    const present = () => useToasts().toasts.value.some((toast) => toast.id === id)
    vi.advanceTimersByTime(UNDO_TOAST_MS - 1000)
    expect(present()).toBe(true)
    await toasts.get('[data-testid="toast"]').trigger('focusin')
    vi.advanceTimersByTime(60_000)
    expect(present()).toBe(true)
    await toasts.get('[data-testid="toast"]').trigger('focusout')
    vi.advanceTimersByTime(UNDO_TOAST_MS + 1)
    expect(present()).toBe(false)
  })
})
