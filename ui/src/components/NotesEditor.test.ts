import { flushPromises } from '@vue/test-utils'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetTypesStore, useTypes } from '../composables/useTypes'
import { installFakeServer, makeDetail, makeType, type FakeServer } from '../test/fakeServer'
import { mountWithI18n } from '../test/mountWithI18n'
import { cleanNotes, notesLength } from '../lib/notes'
import NotesEditor from './NotesEditor.vue'

let server: FakeServer
beforeEach(() => {
  resetTypesStore()
  server = installFakeServer()
  useTypes().upsert(makeType(5, 'Orks'))
})

const input = '[data-testid="notes-input"]'
const value = (wrapper: ReturnType<typeof mountWithI18n>['wrapper']) => (wrapper.get(input).element as HTMLTextAreaElement).value

describe('NotesEditor', () => {
  it('saves what was typed when asked, and says when there are unsaved changes', async () => {
    server.on('PATCH', '/api/v1/types/5', ({ body }) => ({ body: makeDetail(5, 'Orks', {}, cleanNotes((body as { notes: string }).notes)) }))
    const { wrapper } = mountWithI18n(NotesEditor, { props: { typeId: 5, typeName: 'Orks', saved: '' } })
    const save = wrapper.get('[data-testid="notes-save"]')
    expect(save.attributes('aria-disabled')).toBe('true')
    await wrapper.get(input).setValue('Goff black\nRed   \n')
    expect(wrapper.get('[data-testid="notes-state"]').text()).toBe('Unsaved changes')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(server.calls[0]).toMatchObject({ method: 'PATCH', body: { notes: 'Goff black\nRed   \n' } })
    expect(wrapper.emitted('saved')).toEqual([['Goff black\nRed']])
    await wrapper.setProps({ saved: 'Goff black\nRed' })
    expect(value(wrapper)).toBe('Goff black\nRed')
    expect(wrapper.get('[data-testid="notes-state"]').text()).toBe('')
    expect(useTypes().types.value[0].has_notes).toBe(true)
  })

  it('keeps what the user typed when the notes are read again, and takes a change otherwise', async () => {
    const { wrapper } = mountWithI18n(NotesEditor, { props: { typeId: 5, typeName: 'Orks', saved: 'old' } })
    await wrapper.setProps({ saved: 'from another window' })
    expect(value(wrapper)).toBe('from another window')
    await wrapper.get(input).setValue('mine')
    await wrapper.setProps({ saved: 'again from elsewhere' })
    expect(value(wrapper)).toBe('mine')
  })

  it('counts as the server does and says past the limit', async () => {
    expect(notesLength('\u{1f3a8}'.repeat(3) + 'a\r\nb \t\n')).toBe(6)
    const { wrapper } = mountWithI18n(NotesEditor, { props: { typeId: 5, typeName: 'Orks', saved: '' } })
    await wrapper.get(input).setValue('x'.repeat(9_600))
    expect(wrapper.get('[data-testid="notes-hint"]').text()).toBe('400 characters left')
    await wrapper.get(input).setValue('x'.repeat(10_002) + '   ')
    expect(wrapper.get('[data-testid="notes-hint"]').text()).toBe('2 characters too many: at most 10,000')
    expect(wrapper.get(input).attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('[data-testid="notes-save"]').attributes('aria-disabled')).toBe('true')
  })
  // Leaving the page with changes unsaved is asked about in a real router view: tests/e2e/test_groups.py.
})
