// The UI's languages: one message file each, vue-i18n (composition mode), and plural forms chosen
// by the browser's own CLDR rules (Intl.PluralRules), never by rules written out by hand.
import { createI18n } from 'vue-i18n'
import de from './de.json'
import en from './en.json'
import es from './es.json'
import fr from './fr.json'
import it from './it.json'
import ru from './ru.json'

/** Each language named in itself, in the order the language menu lists them. */
export const SUPPORTED_LOCALES = {
  de: 'Deutsch',
  en: 'English',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  ru: 'Русский',
} as const
export type Locale = keyof typeof SUPPORTED_LOCALES

type Messages = typeof en

/**
 * The plural forms a counted message gives in each language, in the order it writes them
 * ("{n} miniature | {n} miniatures"). French, Spanish and Italian add a third form for whole
 * millions ("1 000 000 de figurines"); Russian has three for whole numbers (1 миниатюра,
 * 2 миниатюры, 5 миниатюр).
 */
export const PLURAL_FORMS: Record<Locale, readonly Intl.LDMLPluralRule[]> = {
  de: ['one', 'other'],
  en: ['one', 'other'],
  es: ['one', 'other', 'many'],
  fr: ['one', 'other', 'many'],
  it: ['one', 'other', 'many'],
  ru: ['one', 'few', 'many'],
}

/** vue-i18n's plural rule for `locale`: the index of the form that CLDR's category picks. */
export function pluralRule(locale: Locale): (choice: number, choicesLength: number) => number {
  const rules = new Intl.PluralRules(locale)
  const forms = PLURAL_FORMS[locale]
  const other = forms.includes('other') ? forms.indexOf('other') : forms.length - 1
  return (choice, choicesLength) => {
    const index = forms.indexOf(rules.select(Math.abs(choice)))
    if (index >= 0 && index < choicesLength) return index
    return Math.min(other, choicesLength - 1) // a category the message does not write out
  }
}

const LOCALES = Object.keys(SUPPORTED_LOCALES) as Locale[]

export function createAppI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { de, en, es, fr, it, ru },
    pluralRules: Object.fromEntries(LOCALES.map((code) => [code, pluralRule(code)])),
    missingWarn: false,
    fallbackWarn: false,
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>
