import { describe, expect, it } from 'vitest'
import { createAppI18n, type Locale } from '../i18n'
import { formatCount, formatPercent, formatSize, ordinal, parseCount } from './numbers'

const t = (locale: Locale) => createAppI18n(locale).global.t as (key: string, named: Record<string, unknown>) => string

describe('numbers in each language', () => {
  it.each([
    ['en', '1,000,000', '12,345', '42%'],
    ['de', '1.000.000', '12.345', '42\u00a0%'],
    ['fr', '1\u202f000\u202f000', '12\u202f345', '42\u00a0%'],
    ['es', '1.000.000', '12.345', '42\u00a0%'],
    ['it', '1.000.000', '12.345', '42%'],
    ['ru', '1\u00a0000\u00a0000', '12\u00a0345', '42\u00a0%'],
  ] as const)('%s groups the digits and writes percentages its own way', (locale, million, thousands, percent) => {
    expect(formatCount(1_000_000, locale)).toBe(million)
    expect(formatCount(12_345, locale)).toBe(thousands)
    expect(formatPercent(42, locale)).toBe(percent)
  })

  it.each([
    ['en', '1 KiB', '12.5 MiB', '20 MiB'],
    ['de', '1\u00a0KiB', '12,5\u00a0MiB', '20\u00a0MiB'],
    ['fr', '1\u00a0Kio', '12,5\u00a0Mio', '20\u00a0Mio'],
    ['es', '1\u00a0KiB', '12,5\u00a0MiB', '20\u00a0MiB'],
    ['it', '1\u00a0KiB', '12,5\u00a0MiB', '20\u00a0MiB'],
    ['ru', '1 КиБ', '12,5 МиБ', '20 МиБ'],
  ] as const)('%s writes sizes in binary units, as the language names them', (locale, small, large, limit) => {
    expect(formatSize(300, locale, t(locale))).toBe(small)
    expect(formatSize(13_107_200, locale, t(locale))).toBe(large)
    expect(formatSize(20 * 1024 * 1024, locale, t(locale))).toBe(limit)
    expect(formatSize(65_536, locale, t(locale))).toMatch(/^64\s/)
  })

  it('gives English positions their suffix and the other languages the bare number', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map((n) => ordinal(n, 'en'))).toEqual([
      '1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st',
    ])
    expect(ordinal(1234, 'de')).toBe('1.234')
    expect(ordinal(3, 'fr')).toBe('3')
  })
})

describe('counts typed by hand', () => {
  it('takes whole numbers within the limits only', () => {
    expect(parseCount(' 42 ')).toBe(42)
    expect(parseCount('1000001')).toBeNull()
    expect(parseCount('1.000')).toBeNull()
    expect(parseCount('-1')).toBeNull()
    expect(parseCount('0', 1)).toBeNull()
  })
})
