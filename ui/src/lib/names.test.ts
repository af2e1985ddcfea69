import { describe, expect, it } from 'vitest'
// The same list the backend's tests read: the two keys cannot drift apart unnoticed.
import vectors from '../../../tests/name_keys.json'
import { cleanName, matchesKey, nameKey, nameLength } from './names'

const matchesQuery = (key: string, query: string) => matchesKey(key, nameKey(query))

describe('name key', () => {
  it.each(vectors)('$note', ({ name, key }) => {
    expect(nameKey(name)).toBe(key)
  })

  it('is what the search matches: invisible, fullwidth and case differences do not count', () => {
    const key = nameKey('Ｋｎｉｇｈｔｓ of Tau\u200b')
    expect(matchesQuery(key, 'knights')).toBe(true)
    expect(matchesQuery(key, ' TAU ')).toBe(true)
    expect(matchesQuery(key, 'orks')).toBe(false)
    expect(matchesQuery(key, '\u200b')).toBe(true) // nothing visible typed: everything matches
    expect(matchesQuery(nameKey('Ёлки'), 'ел')).toBe(true)
  })
})

describe('name length', () => {
  it('counts what the server stores: trimmed of spaces and invisible characters, in code points', () => {
    expect(cleanName(' \u200bOrks\ufeff\t')).toBe('Orks')
    expect(cleanName('Orks\u0007Boyz')).toBe('Orks Boyz') // a control character is a space
    expect(nameLength('  Orks  ')).toBe(4)
    expect(nameLength('😀'.repeat(100))).toBe(100) // one each, not two UTF-16 units
    expect(nameLength('e\u0301')).toBe(1) // NFC first: é is one character
    expect(cleanName('\u{e0020} 😀 a b 😀\u{e0020} ')).toBe('😀 a b 😀')
    expect(cleanName(' \u200b\t')).toBe('')
  })

  it('is counted at once for a long pasted text with spaces inside, whatever its length', () => {
    // Quadratic before: about 18 s for this one, past the test's time limit.
    const pasted = 'a' + ' '.repeat(100_000) + 'xa'
    expect(nameLength(pasted)).toBe(100_003)
  })
})
