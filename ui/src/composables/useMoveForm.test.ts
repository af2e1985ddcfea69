import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import type { Counts } from '../stages'
import { movableStages, parseQty, useMoveForm } from './useMoveForm'

const counts = (partial: Partial<Counts>): Counts => ({ IN_BOX: 0, BUILDING: 0, PRIMING: 0, PAINTING: 0, DONE: 0, ...partial })

describe('parseQty', () => {
  it('accepts whole numbers from 1 to the maximum only', () => {
    expect(parseQty('3', 3)).toBe(3)
    expect(parseQty(' 2 ', 3)).toBe(2)
    expect(parseQty('4', 3)).toBeNull()
    expect(parseQty('0', 3)).toBeNull()
    expect(parseQty('1.5', 3)).toBeNull()
    expect(parseQty('-1', 3)).toBeNull()
    expect(parseQty('', 3)).toBeNull()
    expect(parseQty('2e1', 30)).toBeNull()
  })
})

describe('useMoveForm', () => {
  it('offers only stages holding miniatures as "from", never DONE', () => {
    expect(movableStages(counts({ IN_BOX: 2, PAINTING: 1, DONE: 5 }))).toEqual(['IN_BOX', 'PAINTING'])
  })

  it('offers only later stages as "to" and shows what is available', async () => {
    const form = useMoveForm(ref(counts({ BUILDING: 3, DONE: 1 })))
    expect(form.from.value).toBe('BUILDING')
    expect(form.toOptions.value).toEqual(['PRIMING', 'PAINTING', 'DONE'])
    expect(form.to.value).toBe('PRIMING')
    expect(form.available.value).toBe(3)
    form.qtyText.value = '3'
    expect(form.canSubmit.value).toBe(true)
    expect(form.request()).toEqual({ from: 'BUILDING', to: 'PRIMING', qty: 3 })
  })

  it('refuses more than available or invalid input', () => {
    const form = useMoveForm(ref(counts({ IN_BOX: 3 })))
    for (const text of ['4', '0', 'abc', '1.5', '']) {
      form.qtyText.value = text
      expect(form.canSubmit.value, text).toBe(false)
      expect(form.request()).toBeNull()
    }
    form.qtyText.value = '4'
    expect(form.qtyInvalid.value).toBe(true)
  })

  it('is disabled when nothing can move', () => {
    const form = useMoveForm(ref(counts({ DONE: 4 })))
    expect(form.from.value).toBeNull()
    expect(form.available.value).toBe(0)
    expect(form.canSubmit.value).toBe(false)
    expect(form.qtyInvalid.value).toBe(false)
  })

  it('keeps "to" after "from" when "from" changes', async () => {
    const form = useMoveForm(ref(counts({ IN_BOX: 1, PRIMING: 2 })))
    form.to.value = 'BUILDING'
    form.from.value = 'PRIMING'
    await nextTick()
    expect(form.toOptions.value).toEqual(['PAINTING', 'DONE'])
    expect(form.to.value).toBe('PAINTING')
  })

  it('keeps the chosen stage when a move empties it, says so and cannot submit', async () => {
    const source = ref(counts({ IN_BOX: 3, BUILDING: 1 }))
    const form = useMoveForm(source, 'IN_BOX')
    form.qtyText.value = '3'
    expect(form.fromEmpty.value).toBe(false)
    source.value = counts({ BUILDING: 4 })
    await nextTick()
    expect(form.from.value).toBe('IN_BOX')
    expect(form.fromOptions.value).toEqual(['IN_BOX', 'BUILDING'])
    expect(form.available.value).toBe(0)
    expect(form.fromEmpty.value).toBe(true)
    expect(form.othersLeft.value).toBe(true)
    expect(form.qtyInvalid.value).toBe(false)
    expect(form.canSubmit.value).toBe(false)
    expect(form.request()).toBeNull()
    // Picking another stage lets the empty one go.
    form.from.value = 'BUILDING'
    await nextTick()
    expect(form.fromOptions.value).toEqual(['BUILDING'])
    expect(form.available.value).toBe(4)
    expect(form.fromEmpty.value).toBe(false)
  })

  it('says when no other stage is left to move from', async () => {
    const source = ref(counts({ PAINTING: 2, DONE: 1 }))
    const form = useMoveForm(source)
    source.value = counts({ DONE: 3 })
    await nextTick()
    expect(form.from.value).toBe('PAINTING')
    expect(form.fromEmpty.value).toBe(true)
    expect(form.othersLeft.value).toBe(false)
  })

  it('chooses a stage once miniatures arrive in an empty form', async () => {
    const source = ref(counts({ DONE: 3 }))
    const form = useMoveForm(source)
    expect(form.from.value).toBeNull()
    source.value = counts({ PRIMING: 2, DONE: 3 })
    await nextTick()
    expect(form.from.value).toBe('PRIMING')
    expect(form.to.value).toBe('PAINTING')
  })

  it('honours a preferred starting stage', () => {
    const form = useMoveForm(ref(counts({ IN_BOX: 1, PAINTING: 2 })), 'PAINTING')
    expect(form.from.value).toBe('PAINTING')
    expect(form.to.value).toBe('DONE')
  })
})
