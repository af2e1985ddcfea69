// One polite live region for what a screen reader should hear without a visible change of its
// own: the page just opened, a request that has started.
import { nextTick, ref } from 'vue'

export const announcement = ref('')

/** Says `text` through the live region; the same text twice is said twice. */
export async function announce(text: string): Promise<void> {
  announcement.value = ''
  await nextTick()
  announcement.value = text
}
