// Counts typed by hand: whole numbers within the contract's limits.
import limits from '../api/limits.json'

export const { MAX_COUNT } = limits

export function parseCount(text: string, min = 0, max = MAX_COUNT): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return value >= min && value <= max ? value : null
}

/** A count as the user's language writes it: 1,000,000 in English, 1 000 000 in Russian. */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
}

const ENGLISH_SUFFIXES: Partial<Record<Intl.LDMLPluralRule, string>> = { one: 'st', two: 'nd', few: 'rd' }

/** A position in a list: "3rd" in English; "№ 3" in Russian, whose ordinal endings follow the
 * grammatical case of the sentence around them. */
export function ordinal(position: number, locale: string): string {
  const number = formatCount(position, locale)
  if (!locale.startsWith('en')) return `№\u00a0${number}`
  const category = new Intl.PluralRules('en', { type: 'ordinal' }).select(position)
  return `${number}${ENGLISH_SUFFIXES[category] ?? 'th'}`
}
