// Keeps the page clear of the toasts: the end of the page can always be scrolled out from under
// them, a dialog that reaches down to them is laid out above them, and the control with the
// keyboard focus is never left under one. The toasts' component shows them; this keeps the room.
//
// It writes two custom properties, read by CSS elsewhere: --toast-space on the root (its
// scroll-padding and the body's end, global.css) and --toast-lift on the lifted dialog
// (BaseDialog). `region` is the toasts' element; `host` is the dialog they live in, if any.
import { nextTick, onBeforeUnmount, onMounted, watch, type Ref } from 'vue'

const overlap = (a: DOMRect, b: DOMRect) =>
  a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right

export function useToastSpace(region: Readonly<Ref<HTMLElement | null>>, host: Readonly<Ref<HTMLElement | null>>): void {
  let sizeObserver: ResizeObserver | null = null
  let lifted: HTMLElement | null = null // the dialog laid out above the toasts (below)

  // The toasts' space is the root's scroll-padding, so a control the keyboard comes to is
  // scrolled clear of them too (a little more than their height: room for the focus ring).
  function reserveSpace() {
    const height = region.value ? region.value.getBoundingClientRect().height : 0
    const space = height > 0 ? `${Math.ceil(height) + 24}px` : ''
    document.documentElement.style.setProperty('--toast-space', host.value ? '' : space)
    keepFocusClear()
    // The dialog's size is watched too: it changes in the next frame, not in this callback.
    if (host.value || lifted) requestAnimationFrame(() => liftDialog(host.value, space))
  }

  // In a dialog the toasts are over it, above its backdrop: a dialog that reaches down to them is
  // laid out above them instead (BaseDialog reads --toast-lift) until they are gone, so it does
  // not jump up and down as they come and go; the focused control stays in its sight.
  function liftDialog(dialog: HTMLElement | null, space: string) {
    if (lifted && (lifted !== dialog || !space)) {
      lifted.style.removeProperty('--toast-lift')
      lifted = null
    }
    if (!dialog || !space || !region.value) return
    if (!lifted && !overlap(dialog.getBoundingClientRect(), region.value.getBoundingClientRect())) return
    dialog.style.setProperty('--toast-lift', space)
    lifted = dialog
    const focused = document.activeElement
    if (focused instanceof HTMLElement && dialog.contains(focused) && !region.value.contains(focused)) {
      focused.scrollIntoView({ block: 'nearest' })
    }
  }

  // A toast never hides the control with the keyboard focus (WCAG 2.4.11): when one appears or
  // grows over it, or the focus comes to a control under one, that control is scrolled out from
  // under it. Chromium honours scroll-padding when Tab scrolls, but not on a script's focus() of a
  // control already in the viewport, nor when a toast comes over a control that keeps the focus.
  // Only the keyboard's focus: a page never moves under the pointer that just clicked.
  function keepFocusClear() {
    // In a dialog (the page behind it keeps still) there is no page to scroll: see liftDialog.
    if (host.value || !region.value) return
    const focused = document.activeElement
    if (!(focused instanceof HTMLElement) || !focused.matches(':focus-visible')) return
    if (region.value.contains(focused)) return
    if (overlap(focused.getBoundingClientRect(), region.value.getBoundingClientRect())) {
      focused.scrollIntoView({ block: 'nearest' })
    }
  }

  onMounted(() => {
    document.addEventListener('focusin', keepFocusClear)
    if (typeof ResizeObserver !== 'undefined' && region.value) {
      sizeObserver = new ResizeObserver(reserveSpace)
      sizeObserver.observe(region.value)
    }
  })
  onBeforeUnmount(() => {
    document.removeEventListener('focusin', keepFocusClear)
    sizeObserver?.disconnect()
    document.documentElement.style.removeProperty('--toast-space')
    lifted?.style.removeProperty('--toast-lift')
  })
  // A dialog that grows (the import's preview) may come to reach the toasts: it is watched too.
  watch(host, (dialog, before) => {
    if (before) sizeObserver?.unobserve(before)
    if (dialog) sizeObserver?.observe(dialog)
    void nextTick(reserveSpace)
  })
}
