import { mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref, shallowRef } from 'vue'
import { useToastSpace } from './useToastSpace'

// jsdom lays nothing out: each element is given its box, and the resize observer is called by hand.
let resized: () => void = () => undefined
const boxes = new Map<Element, DOMRect>()

beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(callback: () => void) {
        resized = callback
      }
      observe() {}
      unobserve() {}
      disconnect() {}
    },
  )
  vi.stubGlobal('requestAnimationFrame', (run: FrameRequestCallback) => {
    run(0)
    return 0
  })
  vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
    return boxes.get(this) ?? new DOMRect(0, 0, 0, 0)
  })
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  boxes.clear()
  document.body.innerHTML = ''
})

function mountSpace() {
  const host = shallowRef<HTMLElement | null>(null)
  const region = ref<HTMLElement | null>(null)
  const Toasts = defineComponent({
    setup() {
      useToastSpace(region, host)
      return () => h('section', { ref: region })
    },
  })
  const wrapper = mount(Toasts, { attachTo: document.body })
  return { wrapper, host, region: region.value! }
}

/** A dialog of this box opens, with the toasts in it 60 px high at the foot of the window. */
async function openDialog(host: { value: HTMLElement | null }, region: HTMLElement, box: DOMRect) {
  const dialog = document.createElement('dialog')
  document.body.append(dialog)
  boxes.set(dialog, box)
  boxes.set(region, new DOMRect(16, 640, 300, 60))
  host.value = dialog
  await nextTick()
  await nextTick()
  return dialog
}

const rootSpace = () => document.documentElement.style.getPropertyValue('--toast-space')

describe("the toasts' space", () => {
  it("keeps the page's end clear of the toasts while they show, with room for a focus ring", () => {
    const { wrapper, region } = mountSpace()
    boxes.set(region, new DOMRect(16, 640, 300, 60.4))
    resized()
    expect(rootSpace()).toBe('85px')
    boxes.set(region, new DOMRect(16, 700, 300, 0)) // the last toast has gone
    resized()
    expect(rootSpace()).toBe('')
    boxes.set(region, new DOMRect(16, 640, 300, 60))
    resized()
    wrapper.unmount()
    expect(rootSpace()).toBe('')
  })

  it('lays a dialog that reaches down to the toasts out above them, and lets it down after', async () => {
    const { wrapper, host, region } = mountSpace()
    const dialog = await openDialog(host, region, new DOMRect(0, 100, 500, 600))
    // In a dialog the page behind keeps still: no space on the root, the dialog is lifted.
    expect(rootSpace()).toBe('')
    expect(dialog.style.getPropertyValue('--toast-lift')).toBe('84px')
    boxes.set(region, new DOMRect(16, 700, 300, 0))
    resized()
    expect(dialog.style.getPropertyValue('--toast-lift')).toBe('')
    wrapper.unmount()
  })

  it('leaves alone a dialog clear of the toasts', async () => {
    const { wrapper, host, region } = mountSpace()
    const dialog = await openDialog(host, region, new DOMRect(0, 100, 500, 300))
    expect(dialog.style.getPropertyValue('--toast-lift')).toBe('')
    wrapper.unmount()
  })
})
