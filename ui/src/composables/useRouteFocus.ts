// After moving to another page the focus goes to the new page's main heading (or, while it
// cannot show one, its alert): without this the focus stays on the link that was used, or falls
// to the body when that link is gone. A screen reader reads the focused heading, so the page is
// not announced as well; it is announced only when the user has already moved the focus
// themselves, so the change of page is still heard.
import { nextTick } from 'vue'
import { START_LOCATION, type Router } from 'vue-router'
import { announce } from './useAnnouncer'

export const PAGE_FOCUS_SELECTOR = 'main h1, main [role="alert"]'
const WAIT_MS = 15_000

export function installRouteFocus(router: Router): void {
  router.afterEach((to, from, failure) => {
    // The first page: the browser starts at the top of the document, as on any page load.
    if (failure || from === START_LOCATION || to.path === from.path) return
    const before = document.activeElement
    void whenPresent(PAGE_FOCUS_SELECTOR).then((target) => {
      // A dialog still open (an import that went back to the collection) keeps the focus; the
      // page behind it is inert until it closes, and the dialog gives the focus back then.
      if (!target || document.querySelector('dialog[open]')) return
      const now = document.activeElement
      // The user has moved on by themselves (e.g. tabbed into the page while it loaded).
      if (now && now !== before && now !== document.body && document.contains(now)) {
        void announce(document.title)
        return
      }
      if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
      target.focus()
    })
  })
}

/** The first element matching `selector`, waiting for the page to render it. */
function whenPresent(selector: string): Promise<HTMLElement | null> {
  const found = () => document.querySelector<HTMLElement>(selector)
  return new Promise((resolve) => {
    // The old page may still be in the document: look only after the new one has rendered.
    void nextTick(() => {
      const now = found()
      if (now) return resolve(now)
      const observer = new MutationObserver(() => {
        const element = found()
        if (!element) return
        observer.disconnect()
        clearTimeout(timer)
        resolve(element)
      })
      const timer = setTimeout(() => {
        observer.disconnect()
        resolve(null)
      }, WAIT_MS)
      observer.observe(document.body, { childList: true, subtree: true })
    })
  })
}
