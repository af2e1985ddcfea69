// The UI language: the remembered choice, else the first of the browser's languages (the
// system's, in the desktop window) that the app speaks ("de-AT" is German), else English.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { SUPPORTED_LOCALES, type Locale } from '../i18n'

export const LOCALE_STORAGE_KEY = 'miniatures.locale'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(SUPPORTED_LOCALES, value)
}

export function detectLocale(
  storage: Pick<Storage, 'getItem'> | null = safeStorage(),
  languages: readonly string[] = browserLanguages(),
): Locale {
  const saved = storage?.getItem(LOCALE_STORAGE_KEY)
  if (isLocale(saved)) return saved
  for (const tag of languages) {
    const language = tag.toLowerCase().split(/[-_]/)[0]
    if (isLocale(language)) return language
  }
  return 'en'
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return []
  return navigator.languages?.length ? navigator.languages : [navigator.language]
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null // storage blocked (private mode, embedded view): fall back to detection
  }
}

export function applyDocumentLocale(locale: Locale): void {
  document.documentElement.lang = locale
}

export function useLocale() {
  const { locale } = useI18n({ useScope: 'global' })
  const current = computed<Locale>(() => (isLocale(locale.value) ? locale.value : 'en'))

  function setLocale(next: Locale): void {
    locale.value = next
    applyDocumentLocale(next)
    try {
      safeStorage()?.setItem(LOCALE_STORAGE_KEY, next)
    } catch {
      // not remembered, still switched
    }
  }

  return { locale: current, setLocale, locales: Object.keys(SUPPORTED_LOCALES) as Locale[] }
}
