// Numbers as the user's language writes them, through Intl in that language: counts typed by
// hand (whole numbers within the contract's limits) and shown, percentages, positions in a list
// and sizes of files.
import limits from '../api/limits.json'

export const { MAX_COUNT } = limits

const KIB = 1024
const MIB = 1024 * 1024

export function parseCount(text: string, min = 0, max = MAX_COUNT): number | null {
  const trimmed = text.trim()
  if (!/^\d+$/.test(trimmed)) return null
  const value = Number(trimmed)
  return value >= min && value <= max ? value : null
}

/** A count: 1,000,000 in English, 1.000.000 in German, 1 000 000 in French and Russian. */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
}

/** A whole percentage (0–100): "42%" in English, "42 %" in German and French. */
export function formatPercent(percent: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(percent / 100)
}

const ENGLISH_SUFFIXES: Partial<Record<Intl.LDMLPluralRule, string>> = { one: 'st', two: 'nd', few: 'rd' }

/** A position in a list: "3rd" in English. The other languages write the number alone and
 * the sign before it in their own sentence ("Nr. 3", "n° 3", "№ 3"), since their ordinal
 * endings follow the gender or the case of the words around them. */
export function ordinal(position: number, locale: string): string {
  const number = formatCount(position, locale)
  if (!locale.startsWith('en')) return number
  const category = new Intl.PluralRules('en', { type: 'ordinal' }).select(position)
  return `${number}${ENGLISH_SUFFIXES[category] ?? 'th'}`
}

/** The message function this needs: vue-i18n's `t` or one like it. */
type Translate = (key: string, named: Record<string, unknown>) => string

/** A size in binary units, as the language writes them ("12.5 MiB", "12,5 Mio"): whole KiB
 * (at least 1) below a MiB, MiB with at most one decimal above. */
export function formatSize(bytes: number, locale: string, t: Translate): string {
  if (bytes < MIB) return t('units.kib', { n: formatCount(Math.max(1, Math.ceil(bytes / KIB)), locale) })
  const mib = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / MIB)
  return t('units.mib', { n: mib })
}
