// The name key, computed as the backend computes it (backend/names.py), so that the search
// box finds what the server's `q` finds: NFKC, invisible characters (Unicode's
// Default_Ignorable_Code_Point) removed, runs of whitespace and control characters (Cc) one
// space and trimmed, case-folded, ё read as е. tests/name_keys.json holds names and keys that
// both sides are tested against. The backend's NFKC and case folding know Unicode 14 (Python
// 3.11), the browser a newer one: characters assigned since are left as they are here, as the
// backend leaves them (the list is generated from the backend's tables: serverUnicode.ts).
import limits from '../api/limits.json'
import { NEWER_THAN_SERVER } from './serverUnicode'

const IGNORABLE = /\p{Default_Ignorable_Code_Point}+/gu
const SPACES = /[\p{White_Space}\p{Cc}]+/gu
const UNKNOWN_TO_SERVER = new RegExp(`([${NEWER_THAN_SERVER}]+)`, 'u')
const CONTROL = /\p{Cc}/gu
const EDGE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}]+/u

/** The contract's limit on a name, counted after trimming. */
export const { MAX_NAME_LENGTH } = limits

/** The name as the server stores it (backend/names.py clean_name): NFC, control characters made
 * spaces, whitespace and invisible characters trimmed from both ends. */
export function cleanName(name: string): string {
  return trimmed(name.normalize('NFC').replace(CONTROL, ' '))
}

/** Without the whitespace and invisible characters at either end, each end matched from that
 * end (the text reversed by code points for the last). A pattern for the end, searched from the
 * start, was tried again from each character of a run of spaces inside the name: a pasted text
 * of 60,000 characters froze the page for 6 s on each key. */
function trimmed(text: string): string {
  const head = EDGE.exec(text)?.[0].length ?? 0
  const tail = EDGE.exec(Array.from(text).reverse().join(''))?.[0].length ?? 0
  return text.slice(head, Math.max(head, text.length - tail))
}

/** Its length as the server counts it: code points, so an emoji outside the BMP is one. */
export function nameLength(name: string): number {
  return Array.from(cleanName(name)).length
}

// JavaScript has no case folding. toLowerCase gives what Unicode's full case folding (the
// backend's str.casefold) gives, except for these letters, which folding maps on: checked
// for every character Python's and Node's Unicode data both know. Cherokee folds to capitals.
const FOLD_AFTER_LOWER: Record<string, string> = {
  ß: 'ss',
  ς: 'σ',
  '\u1c80': 'в',
  '\u1c81': 'д',
  '\u1c82': 'о',
  '\u1c83': 'с',
  '\u1c84': 'т',
  '\u1c85': 'т',
  '\u1c86': 'ъ',
  '\u1c87': 'ѣ',
  '\u1c88': 'ꙋ',
}
const FOLDS_ON = /[ßς\u1c80-\u1c88]/g
const CHEROKEE_SMALL = /[\u13f8-\u13fd\uab70-\uabbf]/g
// The iota subscript (U+0345), alone or inside a Greek letter such as ᾳ, folds to an iota
// that follows the letter: ᾳ is αι.
const MAY_HOLD_IOTA_SUBSCRIPT = /[\u0345\u1f80-\u1fff]/g

function iotaAfter(letter: string): string {
  const parts = letter.normalize('NFD')
  return parts.includes('\u0345') ? parts.replace('\u0345', '') + 'ι' : letter
}

function cherokeeCapital(small: string): string {
  const code = small.charCodeAt(0)
  return String.fromCharCode(code >= 0xab70 ? code - 0xab70 + 0x13a0 : code - 8)
}

function caseFold(text: string): string {
  return text
    .toLowerCase()
    .replace(MAY_HOLD_IOTA_SUBSCRIPT, iotaAfter)
    .replace(FOLDS_ON, (letter) => FOLD_AFTER_LOWER[letter])
    .replace(CHEROKEE_SMALL, cherokeeCapital)
}

function folded(text: string): string {
  return caseFold(text.normalize('NFKC')).normalize('NFKC')
}

export function nameKey(name: string): string {
  // split() with a group keeps the characters unknown to the server at the odd places: to the
  // server they are starters that nothing composes with, so each part is folded on its own.
  const parts = name.replace(IGNORABLE, '').split(UNKNOWN_TO_SERVER)
  const text = parts.map((part, i) => (i % 2 === 0 ? folded(part) : part)).join('')
  return text.replace(IGNORABLE, '').replace(SPACES, ' ').trim().replaceAll('ё', 'е')
}

/** Whether a name's key holds what was typed (its key: `nameKey(query)`). */
export function matchesKey(key: string, wanted: string): boolean {
  return wanted === '' || key.includes(wanted)
}

// One collator per language: building one is far dearer than a comparison.
const collators = new Map<string, Intl.Collator>()

export function sortByName<T extends { name: string; id: number }>(items: readonly T[], locale: string): T[] {
  let collator = collators.get(locale)
  if (!collator) {
    collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true })
    collators.set(locale, collator)
  }
  return [...items].sort((a, b) => collator.compare(a.name, b.name) || a.id - b.id)
}
