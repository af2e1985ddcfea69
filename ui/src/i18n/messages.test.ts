import { describe, expect, it } from 'vitest'
import codes from '../api/error-codes.json'
import { STAGES } from '../stages'
import en from './en.json'
import { createAppI18n, russianPlural } from './index'
import ru from './ru.json'

function flatten(tree: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out[path] = value
    else Object.assign(out, flatten(value as object, path))
  }
  return out
}

const flatEn = flatten(en)
const flatRu = flatten(ru)
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('message files', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(flatRu).sort()).toEqual(Object.keys(flatEn).sort())
  })

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(flatEn)) {
      expect(new Set(placeholders(flatRu[key])), key).toEqual(new Set(placeholders(text)))
    }
  })

  it('have no empty message', () => {
    for (const [key, text] of [...Object.entries(flatEn), ...Object.entries(flatRu)]) {
      expect(text.trim(), key).not.toBe('')
    }
  })

  it.each([...codes.contract, ...codes.bridge, ...codes.client])('has text for %s in both languages', (code) => {
    expect(flatEn[`errors.${code}`]).toBeTruthy()
    expect(flatRu[`errors.${code}`]).toBeTruthy()
  })

  it('lists each error code of the contract once', () => {
    // The list itself is checked against the backend's by tests/backend/test_ui_contract.py.
    expect(new Set(codes.contract).size).toBe(codes.contract.length)
    expect(codes.contract).toContain('ERR_BODY_TOO_LARGE')
  })

  it.each(codes.import_rules)('explains the import rule %s in both languages', (rule) => {
    expect(flatEn[`importRules.${rule}`]).toBeTruthy()
    expect(flatRu[`importRules.${rule}`]).toBeTruthy()
  })

  it('names every stage as the contract does', () => {
    expect(STAGES.map((s) => flatEn[`stages.${s}`])).toEqual(['In box', 'Building', 'Priming', 'Painting', 'Done'])
    expect(STAGES.map((s) => flatRu[`stages.${s}`])).toEqual(['В коробке', 'Сборка', 'Грунтовка', 'Покраска', 'Готово'])
  })
})

describe('plurals', () => {
  it('picks the Russian form by the last digits', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 111, 0].map((n) => russianPlural(n, 3))).toEqual([0, 1, 2, 2, 0, 1, 2, 2, 2])
  })

  it('renders counted phrases in both languages', () => {
    const { t } = createAppI18n('ru').global
    expect(t('common.miniatures', 1)).toBe('1 миниатюра')
    expect(t('common.miniatures', 3)).toBe('3 миниатюры')
    expect(t('common.miniatures', 12)).toBe('12 миниатюр')
    const english = createAppI18n('en').global
    expect(english.t('common.miniatures', 1)).toBe('1 miniature')
    expect(english.t('common.miniatures', 7)).toBe('7 miniatures')
  })

  it('reads right at one in the delete and replace warnings', () => {
    const ru = createAppI18n('ru').global
    const en = createAppI18n('en').global
    const lost = (g: typeof ru, m: number, e: number) =>
      g.t('type.deleteConfirmText', { miniatures: g.t('common.miniatures', m), entries: g.t('common.entries', e) })
    expect(lost(ru, 1, 1)).toBe('Удалятся: 1 миниатюра и 1 запись истории. Это нельзя отменить.')
    expect(lost(ru, 5, 2)).toBe('Удалятся: 5 миниатюр и 2 записи истории. Это нельзя отменить.')
    expect(lost(en, 1, 1)).toBe('1 miniature and 1 history entry will be lost. This cannot be undone.')
    const replace = (g: typeof ru, n: number, m: number) =>
      g.t('backup.replaceWarning', { types: g.t('common.types', n), miniatures: g.t('common.miniatures', m) })
    expect(replace(ru, 1, 1)).toBe('Замена удалит все текущие типы: 1 тип, 1 миниатюра.')
    expect(replace(ru, 3, 5)).toBe('Замена удалит все текущие типы: 3 типа, 5 миниатюр.')
    expect(replace(en, 1, 2)).toBe('Replacing deletes every type you have now: 1 type, 2 miniatures.')
  })
})
