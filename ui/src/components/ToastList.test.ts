import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { dialogClosed, dialogOpened } from '../composables/useOpenDialogs'
import { dismissToast, showToast, useToasts } from '../composables/useToasts'
import { mountWithI18n } from '../test/mountWithI18n'
import ToastList from './ToastList.vue'

const { toasts } = useToasts()
const undo = { key: 'undo.action', run: () => undefined }

beforeEach(() => {
  for (const toast of toasts.value) dismissToast(toast.id)
  document.body.innerHTML = ''
})
afterEach(() => {
  document.body.innerHTML = ''
})

function mountList() {
  const before = document.createElement('button')
  before.textContent = 'before'
  document.body.append(before)
  const { wrapper } = mountWithI18n(ToastList, { attachTo: document.body })
  return { wrapper, before }
}

describe('the toast list', () => {
  it('is a landmark named with its shortcut', async () => {
    const { wrapper } = mountList()
    const region = wrapper.get('[data-testid="toasts"]')
    expect(region.element.tagName).toBe('SECTION')
    expect(region.attributes('aria-label')).toBe('Notifications (Alt+T)')
    expect(region.find('[role="status"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('Alt+T brings the keyboard to the newest toast; Escape closes it and goes back', async () => {
    const { wrapper, before } = mountList()
    showToast('type.renamed', { name: 'A' })
    showToast('move.moved', { name: 'B', qty: 1, from: 'x', to: 'y' }, 'info', 10_000, undo)
    await nextTick()
    before.focus()
    window.dispatchEvent(new KeyboardEvent('keydown', { altKey: true, code: 'KeyT', key: 't' }))
    const action = wrapper.get('[data-testid="toast-action"]').element as HTMLElement
    expect(document.activeElement).toBe(action)
    action.dispatchEvent(new FocusEvent('focusin', { bubbles: true, relatedTarget: before }))
    action.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
    await nextTick()
    await nextTick()
    expect(toasts.value.map((toast) => toast.params?.name)).toEqual(['A'])
    expect(document.activeElement).toBe(before)
    wrapper.unmount()
  })

  it('moves into the open dialog, above its backdrop and in its Tab order, and back', async () => {
    const { wrapper } = mountList()
    showToast('type.renamed', { name: 'A' })
    const dialog = document.createElement('dialog')
    document.body.append(dialog)
    dialogOpened(dialog)
    await nextTick()
    expect(dialog.querySelector('[data-testid="toast"]')).not.toBeNull()
    dialogClosed(dialog)
    await nextTick()
    expect(dialog.querySelector('[data-testid="toast"]')).toBeNull()
    expect(wrapper.find('[data-testid="toast"]').exists()).toBe(true)
    wrapper.unmount()
  })
})
