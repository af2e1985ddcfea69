// The modal dialogs open now, the topmost last. Everything outside the topmost one is inert and
// under its backdrop, so whatever must stay seen and reachable (the toasts) goes inside it; and
// the page behind keeps still while any is open.
import { shallowRef } from 'vue'

export const openDialogs = shallowRef<HTMLDialogElement[]>([])

export function dialogOpened(dialog: HTMLDialogElement): void {
  if (openDialogs.value.length === 0) lockPage(true)
  openDialogs.value = [...openDialogs.value.filter((open) => open !== dialog), dialog]
}

export function dialogClosed(dialog: HTMLDialogElement): void {
  const before = openDialogs.value.length
  openDialogs.value = openDialogs.value.filter((open) => open !== dialog)
  if (before > 0 && openDialogs.value.length === 0) lockPage(false)
}

/**
 * Keeps the page from scrolling (the root is only kept still, never scrolled, so it stays where
 * it was). The scrollbar that goes away leaves its width as padding: nothing reflows, and the
 * list under the backdrop keeps its rows' heights and its place.
 */
function lockPage(lock: boolean): void {
  const root = document.documentElement
  if (lock) {
    const scrollbar = root.clientWidth > 0 ? window.innerWidth - root.clientWidth : 0
    root.style.setProperty('--page-scrollbar', `${Math.max(0, scrollbar)}px`)
    root.classList.add('page-locked')
  } else {
    root.classList.remove('page-locked')
    root.style.removeProperty('--page-scrollbar')
  }
}
