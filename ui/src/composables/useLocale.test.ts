import { describe, expect, it, beforeEach } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import LanguageSwitch from '../components/LanguageSwitch.vue'
import { mountWithI18n } from '../test/mountWithI18n'
import { detectLocale, LOCALE_STORAGE_KEY } from './useLocale'

const storage = (value: string | null) => ({ getItem: () => value })

describe('detectLocale', () => {
  it('starts in the browser\'s language, whatever its region', () => {
    expect(detectLocale(storage(null), ['ru'])).toBe('ru')
    expect(detectLocale(storage(null), ['ru-RU', 'en'])).toBe('ru')
    expect(detectLocale(storage(null), ['RU-ua'])).toBe('ru')
    expect(detectLocale(storage(null), ['de-AT'])).toBe('de')
    expect(detectLocale(storage(null), ['fr-CA', 'en'])).toBe('fr')
    expect(detectLocale(storage(null), ['es-419'])).toBe('es')
    expect(detectLocale(storage(null), ['it_CH'])).toBe('it')
  })

  it('takes the first of the browser\'s languages that the app speaks', () => {
    expect(detectLocale(storage(null), ['nl-NL', 'de-DE', 'en'])).toBe('de')
    expect(detectLocale(storage(null), ['en-GB', 'fr'])).toBe('en')
  })

  it('starts in English otherwise', () => {
    expect(detectLocale(storage(null), ['pt-BR'])).toBe('en')
    expect(detectLocale(storage(null), ['rus', 'deu'])).toBe('en')
    expect(detectLocale(storage(null), [])).toBe('en')
  })

  it('prefers the remembered choice and ignores garbage in storage', () => {
    expect(detectLocale(storage('en'), ['ru-RU'])).toBe('en')
    expect(detectLocale(storage('it'), ['en-US'])).toBe('it')
    expect(detectLocale(storage('pt'), ['ru-RU'])).toBe('ru')
    expect(detectLocale(storage('fr-FR'), ['es'])).toBe('es')
  })

  it('works when storage is unavailable', () => {
    expect(detectLocale(null, ['ru'])).toBe('ru')
  })
})

describe('switching language', () => {
  beforeEach(() => localStorage.clear())

  it('remembers the choice, sets <html lang> and keeps typed text', async () => {
    const Host = defineComponent({
      setup() {
        const text = ref('')
        return () => h('div', [h('input', { value: text.value, onInput: (e: Event) => (text.value = (e.target as HTMLInputElement).value) }), h(LanguageSwitch)])
      },
    })
    const { wrapper, i18n } = mountWithI18n(Host)
    await wrapper.get('input').setValue('Space Wolves')
    const menu = wrapper.get('[data-testid="lang-menu"]')
    await menu.setValue('de')
    expect(i18n.global.locale.value).toBe('de')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('de')
    expect(document.documentElement.lang).toBe('de')
    expect((menu.element as HTMLSelectElement).value).toBe('de')
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('Space Wolves')
    expect(detectLocale(localStorage, ['en'])).toBe('de')
  })
})

describe('the language menu', () => {
  it('names each language in itself, marked with its language, in a labelled list', () => {
    const { wrapper } = mountWithI18n(LanguageSwitch, { attachTo: document.body }, 'fr')
    const options = wrapper.findAll('option')
    expect(options.map((o) => o.text())).toEqual(['Deutsch', 'English', 'Español', 'Français', 'Italiano', 'Русский'])
    expect(options.map((o) => o.attributes('lang'))).toEqual(['de', 'en', 'es', 'fr', 'it', 'ru'])
    const menu = wrapper.get('select').element as HTMLSelectElement
    expect(menu.value).toBe('fr')
    expect(menu.labels?.[0]?.textContent?.trim()).toBe('Langue')
    wrapper.unmount()
  })
})
