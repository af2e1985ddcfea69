import { describe, expect, it } from 'vitest'
import codes from '../api/error-codes.json'
import { formatCount } from '../lib/numbers'
import { STAGES } from '../stages'
import de from './de.json'
import en from './en.json'
import es from './es.json'
import fr from './fr.json'
import glossary from './GLOSSARY.md?raw'
import { createAppI18n, PLURAL_FORMS, pluralRule, SUPPORTED_LOCALES, type Locale } from './index'
import it_ from './it.json'
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

const LOCALES = Object.keys(SUPPORTED_LOCALES) as Locale[]
const OTHERS = LOCALES.filter((locale) => locale !== 'en')
const FLAT: Record<Locale, Record<string, string>> = {
  de: flatten(de),
  en: flatten(en),
  es: flatten(es),
  fr: flatten(fr),
  it: flatten(it_),
  ru: flatten(ru),
}
const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
const forms = (text: string) => text.split(' | ')
const isCounted = (key: string) => forms(FLAT.en[key]).length > 1

describe('message files', () => {
  it.each(OTHERS)('%s has exactly the keys of English', (locale) => {
    const keys = new Set(Object.keys(FLAT[locale]))
    const english = Object.keys(FLAT.en)
    expect({ missing: english.filter((key) => !keys.has(key)), extra: [...keys].filter((key) => !(key in FLAT.en)) }).toEqual({
      missing: [],
      extra: [],
    })
  })

  it.each(OTHERS)('%s uses the placeholders of English, in every plural form', (locale) => {
    for (const [key, text] of Object.entries(FLAT.en)) {
      for (const form of forms(FLAT[locale][key])) expect(placeholders(form), `${locale} ${key}`).toEqual(placeholders(text))
    }
  })

  it.each(LOCALES)('%s has no empty message', (locale) => {
    for (const [key, text] of Object.entries(FLAT[locale])) expect(text.trim(), key).not.toBe('')
  })

  it.each(LOCALES)('%s gives every counted message all its plural forms, and no other message any', (locale) => {
    for (const [key, text] of Object.entries(FLAT[locale])) {
      expect(forms(text).length, `${locale} ${key}`).toBe(isCounted(key) ? PLURAL_FORMS[locale].length : 1)
    }
  })

  it.each(LOCALES)('%s renders every message whole: no stray brace, no unfilled placeholder', (locale) => {
    const { t } = createAppI18n(locale).global
    for (const [key, text] of Object.entries(FLAT[locale])) {
      const named = Object.fromEntries([...placeholders(text)].map((name) => [name, `<${name}>`]))
      const shown = isCounted(key) ? t(key, named, 2) : t(key, named)
      expect(shown, `${locale} ${key}`).not.toMatch(/[{}|@]/)
      expect(shown, `${locale} ${key}`).not.toBe(key)
    }
  })

  it.each([...codes.contract, ...codes.bridge, ...codes.client])('has text for %s in every language', (code) => {
    for (const locale of LOCALES) expect(FLAT[locale][`errors.${code}`], locale).toBeTruthy()
  })

  it('lists each error code of the contract once', () => {
    // The list itself is checked against the backend's by tests/backend/test_ui_contract.py.
    expect(new Set(codes.contract).size).toBe(codes.contract.length)
    expect(codes.contract).toContain('ERR_BODY_TOO_LARGE')
  })

  it.each(codes.import_rules)('explains the import rule %s in every language', (rule) => {
    for (const locale of LOCALES) expect(FLAT[locale][`importRules.${rule}`], locale).toBeTruthy()
  })

  it('names every stage as the contract does', () => {
    expect(STAGES.map((s) => FLAT.en[`stages.${s}`])).toEqual(['In box', 'Building', 'Priming', 'Painting', 'Done'])
  })
})

describe('the glossary', () => {
  // Its first table: | `key` | English | Deutsch | Français | Español | Italiano | Русский |
  const header = glossary.split('\n').find((line) => line.startsWith('| Key |'))!
  const columns = header.split('|').slice(2, -1).map((cell) => cell.trim())
  const rows = glossary
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))

  it('has a column for each language, named as the language menu names it', () => {
    expect(new Set(columns)).toEqual(new Set(LOCALES.map((locale) => SUPPORTED_LOCALES[locale])))
  })

  it('names the five stages', () => {
    expect(rows.map(([key]) => key)).toEqual(expect.arrayContaining(STAGES.map((stage) => `\`stages.${stage}\``)))
  })

  it('says exactly what the dictionaries say', () => {
    const byName = Object.fromEntries(LOCALES.map((locale) => [SUPPORTED_LOCALES[locale], locale]))
    for (const [key, ...words] of rows) {
      columns.forEach((column, index) => {
        const locale = byName[column] as Locale
        expect(FLAT[locale][key.replaceAll('`', '')], `${locale} ${key}`).toBe(words[index])
      })
    }
  })
})

describe('typography', () => {
  it('puts a no-break space before French : and a narrow one before ; ? !, and inside « »', () => {
    for (const [key, text] of Object.entries(FLAT.fr)) {
      expect(text, key).not.toMatch(/[^\u00a0]:/)
      expect(text, key).not.toMatch(/[^\u202f][;?!]/)
      expect(text, key).not.toMatch(/«[^\u00a0]|[^\u00a0]»/)
      expect(text, key).not.toContain("'")
    }
  })

  it('writes the Italian apostrophe as ’', () => {
    for (const [key, text] of Object.entries(FLAT.it)) expect(text, key).not.toContain("'")
  })

  it.each(LOCALES)('%s keeps a size and its unit together', (locale) => {
    expect(FLAT[locale]['units.mib']).toMatch(/^\{n\}[\u00a0 ]\S+$/)
    expect(FLAT[locale]['units.kib']).toMatch(/^\{n\}[\u00a0 ]\S+$/)
  })
})

describe('plurals', () => {
  const COUNTS = [0, 1, 2, 5, 21, 1_000_000]
  const miniatures = (locale: Locale) => {
    const { t } = createAppI18n(locale).global
    return COUNTS.map((n) => t('common.miniatures', { n: formatCount(n, locale) }, n))
  }

  it.each([
    ['en', ['0 miniatures', '1 miniature', '2 miniatures', '5 miniatures', '21 miniatures', '1,000,000 miniatures']],
    ['de', ['0 Miniaturen', '1 Miniatur', '2 Miniaturen', '5 Miniaturen', '21 Miniaturen', '1.000.000 Miniaturen']],
    ['fr', ['0 figurine', '1 figurine', '2 figurines', '5 figurines', '21 figurines', '1\u202f000\u202f000 de figurines']],
    ['es', ['0 miniaturas', '1 miniatura', '2 miniaturas', '5 miniaturas', '21 miniaturas', '1.000.000 de miniaturas']],
    ['it', ['0 miniature', '1 miniatura', '2 miniature', '5 miniature', '21 miniature', '1.000.000 di miniature']],
    ['ru', ['0 миниатюр', '1 миниатюра', '2 миниатюры', '5 миниатюр', '21 миниатюра', '1\u00a0000\u00a0000 миниатюр']],
  ] as const)('counts miniatures in %s by its own rules (0, 1, 2, 5, 21, a million)', (locale, expected) => {
    expect(miniatures(locale)).toEqual(expected)
  })

  it('picks the Russian form by the last digits', () => {
    const russian = pluralRule('ru')
    expect([1, 2, 5, 11, 21, 22, 25, 111, 0].map((n) => russian(n, 3))).toEqual([0, 1, 2, 2, 0, 1, 2, 2, 2])
  })

  it('falls back to the "other" form when a message writes fewer forms than the language has', () => {
    expect(pluralRule('fr')(1_000_000, 2)).toBe(1)
    expect(pluralRule('fr')(1_000_000, 3)).toBe(2)
    expect(pluralRule('fr')(0, 3)).toBe(0)
  })

  it('counts the characters left in German, French and Italian', () => {
    const left = (locale: Locale, n: number) => createAppI18n(locale).global.t('nameLimit.left', { n }, n)
    expect(left('de', 1)).toBe('Noch 1 Zeichen frei')
    expect(left('fr', 0)).toBe('0 caractère restant')
    expect(left('fr', 2)).toBe('2 caractères restants')
    expect(left('it', 1)).toBe('Resta 1 carattere')
    expect(left('it', 7)).toBe('Restano 7 caratteri')
  })

  it('reads right at one in the delete and replace warnings', () => {
    const lost = (locale: Locale, m: number, e: number) => {
      const { t } = createAppI18n(locale).global
      return t('type.deleteConfirmText', { miniatures: t('common.miniatures', m), entries: t('common.entries', e) })
    }
    expect(lost('ru', 1, 1)).toBe('Удалятся: 1 миниатюра и 1 запись истории. Это нельзя отменить.')
    expect(lost('ru', 5, 2)).toBe('Удалятся: 5 миниатюр и 2 записи истории. Это нельзя отменить.')
    expect(lost('en', 1, 1)).toBe('1 miniature and 1 history entry will be lost. This cannot be undone.')
    expect(lost('de', 1, 2)).toBe('1 Miniatur und 2 Verlaufseinträge gehen verloren. Das lässt sich nicht rückgängig machen.')
    expect(lost('fr', 1, 1)).toBe('1 figurine et 1 entrée d’historique seront perdues. Cette action est irréversible.')
    expect(lost('es', 3, 1)).toBe('Se perderán 3 miniaturas y 1 entrada del historial. No se puede deshacer.')
    expect(lost('it', 1, 4)).toBe('Andranno perse 1 miniatura e 4 voci della cronologia. L’operazione non si può annullare.')
    const replace = (locale: Locale, n: number, m: number) => {
      const { t } = createAppI18n(locale).global
      return t('backup.replaceWarning', { types: t('common.types', n), miniatures: t('common.miniatures', m) })
    }
    expect(replace('ru', 1, 1)).toBe('Замена удалит все текущие типы: 1 тип, 1 миниатюра.')
    expect(replace('ru', 3, 5)).toBe('Замена удалит все текущие типы: 3 типа, 5 миниатюр.')
    expect(replace('en', 1, 2)).toBe('Replacing deletes every type you have now: 1 type, 2 miniatures.')
    expect(replace('es', 1, 2)).toBe('Al sustituir se borran todos los tipos que tienes ahora: 1 tipo, 2 miniaturas.')
  })
})
