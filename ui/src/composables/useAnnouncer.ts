// One polite live region for what a screen reader should hear without a visible change of its
// own: the page that opened while the focus stayed elsewhere, a request that is taking a while.
import { nextTick, ref } from 'vue'

export const announcement = ref('')

/** How long a request may run before its wait is said: a quick one is heard once, by its result. */
export const SLOW_MS = 1000

/** Says `text` through the live region; the same text twice is said twice. */
export async function announce(text: string): Promise<void> {
  announcement.value = ''
  await nextTick()
  announcement.value = text
}

/**
 * Says `text` if the work it describes still runs after SLOW_MS. Call the returned function when
 * the work ends: nothing is said after that, and a wait already said leaves the region.
 */
export function announceIfSlow(text: string): () => void {
  let said = false
  const timer = setTimeout(() => {
    said = true
    void announce(text)
  }, SLOW_MS)
  return () => {
    clearTimeout(timer)
    if (said && announcement.value === text) announcement.value = ''
  }
}
