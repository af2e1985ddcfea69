import { describe, expect, it } from 'vitest'
// The same list the backend's tests read: the two keys cannot drift apart unnoticed.
import vectors from '../../../tests/name_keys.json'
import { matchesQuery, nameKey } from './names'

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
