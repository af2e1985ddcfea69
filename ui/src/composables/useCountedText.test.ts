import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { mountWithI18n } from '../test/mountWithI18n'
import { useCountedText } from './useCountedText'

function countedIn(locale: 'en' | 'ru') {
  let text!: ReturnType<typeof useCountedText>
  const Probe = defineComponent({
    setup() {
      text = useCountedText()
      return () => h('div')
    },
  })
  mountWithI18n(Probe, {}, locale)
  return text
}

describe('counted text', () => {
  it('groups the number as the language writes it, with its plural form', () => {
    expect(countedIn('en').counted('common.miniatures', 1_000_007)).toBe('1,000,007 miniatures')
    expect(countedIn('en').counted('common.types', 1)).toBe('1 type')
    expect(countedIn('ru').counted('common.types', 3)).toBe('3 типа')
    expect(countedIn('ru').counted('common.miniatures', 1_000_007)).toBe('1\u00a0000\u00a0007 миниатюр')
  })

  it("warns before a replace with the server's count of what it deletes", () => {
    const { replaceWarning, deleted } = countedIn('en')
    const counts = { types_deleted: 3, miniatures_deleted: 1_000_007 }
    expect(replaceWarning(counts)).toBe('Replacing deletes every type you have now: 3 types, 1,000,007 miniatures.')
    expect(deleted(counts)).toEqual({ types: '3 types', miniatures: '1,000,007 miniatures' })
    expect(replaceWarning({ types_deleted: 0, miniatures_deleted: 0 })).toBe('Your collection is empty now, so nothing will be deleted.')
  })
})
