import { createI18n } from 'vue-i18n'
import en from './en.json'
import ru from './ru.json'

export const SUPPORTED_LOCALES = { en: 'English', ru: 'Русский' } as const
export type Locale = keyof typeof SUPPORTED_LOCALES

type Messages = typeof en

/** Russian has three plural forms: 1 миниатюра, 2 миниатюры, 5 миниатюр. */
export function russianPlural(choice: number, choicesLength: number): number {
  const n = Math.abs(choice)
  if (choicesLength < 3) return n === 1 ? 0 : 1
  const lastTwo = n % 100
  const last = n % 10
  if (lastTwo > 10 && lastTwo < 20) return 2
  if (last === 1) return 0
  if (last >= 2 && last <= 4) return 1
  return 2
}

export function createAppI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en, ru },
    pluralRules: { ru: russianPlural },
    missingWarn: false,
    fallbackWarn: false,
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>
