import { describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createAppI18n } from '../i18n'
import { followDialogTexts, followWindowTitle, initBridge, useBridge } from './useBridge'

describe('desktop bridge detection', () => {
  it('adopts window.pywebview.api only after pywebviewready', () => {
    const target = new EventTarget() as unknown as Window
    initBridge(target)
    expect(useBridge().bridge.value).toBeNull()
    const api = { save_backup: vi.fn(), open_backup: vi.fn() }
    ;(target as { pywebview?: unknown }).pywebview = { api }
    target.dispatchEvent(new Event('pywebviewready'))
    expect(useBridge().bridge.value).toBe(api)
  })
})

describe('the window title', () => {
  it('names the app in the current language, once the bridge is there and after each switch', async () => {
    const target = new EventTarget() as unknown as Window
    initBridge(target)
    const i18n = createAppI18n('de')
    followWindowTitle(() => i18n.global.t('app.name'))
    const set_window_title = vi.fn(async (name: string) => ({ title: name }))
    ;(target as { pywebview?: unknown }).pywebview = { api: { save_backup: vi.fn(), open_backup: vi.fn(), set_window_title } }
    target.dispatchEvent(new Event('pywebviewready'))
    await nextTick()
    expect(set_window_title).toHaveBeenLastCalledWith('Miniaturen-Tracker')
    i18n.global.locale.value = 'fr'
    await nextTick()
    expect(set_window_title).toHaveBeenLastCalledWith('Suivi de figurines')
  })
})

describe('the file dialogs', () => {
  it('say their titles and kinds of file in the current language, and follow a switch', async () => {
    const target = new EventTarget() as unknown as Window
    initBridge(target)
    const i18n = createAppI18n('ru')
    followDialogTexts((key) => i18n.global.t(key), () => i18n.global.locale.value)
    const set_dialog_texts = vi.fn(async (texts: object) => ({ texts }))
    ;(target as { pywebview?: unknown }).pywebview = { api: { save_backup: vi.fn(), open_backup: vi.fn(), set_dialog_texts } }
    target.dispatchEvent(new Event('pywebviewready'))
    await nextTick()
    expect(set_dialog_texts).toHaveBeenLastCalledWith({
      save: 'Сохранить файл',
      open: 'Открыть файл',
      backup: 'Резервная копия JSON',
      spreadsheet: 'Таблица CSV',
      all: 'Все файлы',
      language: 'ru',
    })
    i18n.global.locale.value = 'it'
    await nextTick()
    expect(set_dialog_texts).toHaveBeenLastCalledWith({
      save: 'Salva file',
      open: 'Apri file',
      backup: 'Backup JSON',
      spreadsheet: 'Foglio di calcolo CSV',
      all: 'Tutti i file',
      language: 'it',
    })
  })
})
