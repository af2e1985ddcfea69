// Whether this page needs a session (another device, or a server with an access key): the
// first answer ERR_AUTH_REQUIRED says so, and the key screen stands in for the app until one
// is opened. A pairing code comes in the URL's fragment, which the browser never sends.
import { readonly, ref } from 'vue'

const needed = ref(false)
export const sessionNeeded = readonly(needed)

export function markSessionNeeded(): void {
  needed.value = true
}

export function markSessionOpened(): void {
  needed.value = false
}

const PAIR = /^#pair=([A-Za-z0-9-]{1,64})$/

/** The pairing code of a URL like http://host:port/#pair=CODE, taken out of the address bar
 *  at once (so it is not bookmarked, shared or kept in the history). */
export function takePairingCode(location: Location = window.location, history: History = window.history): string | null {
  const match = PAIR.exec(location.hash)
  if (!match) return null
  history.replaceState(history.state, '', location.pathname + location.search)
  return match[1]
}

// Crockford's base 32 in three groups of four (ABCD-EFGH-JKMN): what "Use on your phone" shows.
const CODE = /^[0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4}[- ]?[0-9A-Za-z]{4}$/

/** What the key screen sends: a typed pairing code as a code, anything else as the key. */
export function sessionBody(typed: string): { pair: string } | { key: string } {
  const text = typed.trim()
  return CODE.test(text) ? { pair: text } : { key: text }
}
