import { describe, expect, it, beforeEach } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import LanguageSwitch from '../components/LanguageSwitch.vue'
import { mountWithI18n } from '../test/mountWithI18n'
import { detectLocale, LOCALE_STORAGE_KEY } from './useLocale'

const storage = (value: string | null) => ({ getItem: () => value })

describe('detectLocale', () => {
  it('starts in Russian for any ru* browser language', () => {
    expect(detectLocale(storage(null), ['ru'])).toBe('ru')
    expect(detectLocale(storage(null), ['ru-RU', 'en'])).toBe('ru')
    expect(detectLocale(storage(null), ['RU-ua'])).toBe('ru')
  })

  it('starts in English otherwise', () => {
    expect(detectLocale(storage(null), ['en-GB'])).toBe('en')
    expect(detectLocale(storage(null), ['de'])).toBe('en')
    expect(detectLocale(storage(null), ['rus'])).toBe('en')
    expect(detectLocale(storage(null), [])).toBe('en')
  })

  it('prefers the remembered choice and ignores garbage in storage', () => {
    expect(detectLocale(storage('en'), ['ru-RU'])).toBe('en')
    expect(detectLocale(storage('ru'), ['en-US'])).toBe('ru')
    expect(detectLocale(storage('fr'), ['ru-RU'])).toBe('ru')
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
    await wrapper.get('input').setValue('Космодесант')
    await wrapper.get('[data-testid="lang-ru"]').trigger('click')
    expect(i18n.global.locale.value).toBe('ru')
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('ru')
    expect(document.documentElement.lang).toBe('ru')
    expect(wrapper.get('[data-testid="lang-ru"]').attributes('aria-pressed')).toBe('true')
    expect((wrapper.get('input').element as HTMLInputElement).value).toBe('Космодесант')
    expect(detectLocale(localStorage, ['en'])).toBe('ru')
  })
})
