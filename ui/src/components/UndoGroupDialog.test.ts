import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import type { HistoryGroup } from '../api/types'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { installFakeServer, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import HistoryList from './HistoryList.vue'
import UndoGroupDialog from './UndoGroupDialog.vue'

const moved: HistoryGroup = {
  from_stage: 'IN_BOX',
  to_stage: 'DONE',
  qty: 3,
  events: 2,
  at: '2026-11-02T18:30:00Z',
  last_at: '2026-11-02T18:31:00Z',
  event_ids: [7, 8],
}
const added: HistoryGroup = { ...moved, from_stage: null, to_stage: 'PAINTING', qty: 10, events: 1, event_ids: [5] }

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
})

describe('UndoGroupDialog', () => {
  it('says exactly what will happen, in both languages', () => {
    const en = mountWithI18n(UndoGroupDialog, { props: { typeId: 1, group: moved } })
    expect(en.wrapper.get('[data-testid="undo-question"]').text()).toBe('Move 3 back from Done to In box?')
    expect(en.wrapper.text()).toContain('This takes back 2 changes made one after another.')
    const ru = mountWithI18n(UndoGroupDialog, { props: { typeId: 1, group: moved } }, 'ru')
    expect(ru.wrapper.get('[data-testid="undo-question"]').text()).toBe('Вернуть 3 из «Готово» в «В коробке»?')
    expect(ru.wrapper.text()).toContain('Отменяются сразу 2 изменения')
    const purchase = mountWithI18n(UndoGroupDialog, { props: { typeId: 1, group: added } })
    expect(purchase.wrapper.get('[data-testid="undo-question"]').text()).toBe(
      'Take away the 10 added to Painting, as if they were never bought?',
    )
  })

  it('undoes every event of the group and closes', async () => {
    server.on('POST', '/api/v1/types/1/undo', () => ({ body: makeType(1, 'Orks', { IN_BOX: 3 }) }))
    const { wrapper } = mountWithI18n(UndoGroupDialog, { props: { typeId: 1, group: moved } })
    await wrapper.get('[data-testid="undo-confirm"]').trigger('click')
    await flushPromises()
    expect(server.calls.at(-1)).toMatchObject({ path: '/api/v1/types/1/undo', body: { event_ids: [7, 8] } })
    expect(wrapper.emitted('close')).toEqual([[true]])
    expect(useTypes().types.value[0].counts.IN_BOX).toBe(3)
  })

  it('explains why it could not, and offers only to close', async () => {
    server.on('POST', '/api/v1/types/1/undo', () => ({
      status: 400,
      body: { code: 'ERR_INSUFFICIENT_QTY', params: { available: 1 } },
    }))
    server.on('GET', '/api/v1/types/1', () => ({ body: makeType(1, 'Orks', { DONE: 1 }) }))
    const { wrapper } = mountWithI18n(UndoGroupDialog, { props: { typeId: 1, group: moved } }, 'ru')
    await wrapper.get('[data-testid="undo-confirm"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[data-testid="undo-error"]').text()).toBe(
      'На этом этапе уже не хватает миниатюр: сейчас доступно только 1.',
    )
    expect(wrapper.find('[data-testid="undo-confirm"]').exists()).toBe(false)
    expect(useTypes().types.value[0].counts.DONE).toBe(1)
    expect(wrapper.emitted('close')).toBeUndefined()
  })
})

describe('HistoryList undo', () => {
  it('offers Undo… per group, named by the visible word and the row', async () => {
    const { wrapper } = mountWithI18n(HistoryList, { props: { groups: [added, moved] } })
    const buttons = wrapper.findAll('[data-testid="history-undo"]')
    expect(buttons.map((button) => button.text())).toEqual(['Undo…', 'Undo…'])
    expect(buttons[0].attributes('aria-label')).toBe('Undo… 3 In box → Done')
    await buttons[1].trigger('click')
    expect(wrapper.emitted('undo')).toEqual([[added]])
  })
})
