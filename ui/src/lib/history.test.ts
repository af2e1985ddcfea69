import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppI18n } from '../i18n'
import HistoryList from '../components/HistoryList.vue'
import { mountWithI18n } from '../test/mountWithI18n'
import { historyRows } from './history'
import { formatDateTime, formatMonth, formatRelative } from './time'

const groups = [
  { from_stage: null, to_stage: 'IN_BOX', qty: 10, events: 1, at: '2026-11-01T09:00:00Z', last_at: '2026-11-01T09:00:00Z', event_ids: [1] },
  { from_stage: 'IN_BOX', to_stage: 'BUILDING', qty: 3, events: 3, at: '2026-11-02T18:30:00Z', last_at: '2026-11-02T18:33:00Z', event_ids: [2, 3, 4] },
  { from_stage: 'BUILDING', to_stage: 'DONE', qty: 1, events: 1, at: '2026-11-03T10:00:00Z', last_at: '2026-11-03T10:00:00Z', event_ids: [5] },
] as const

describe('historyRows', () => {
  it('lists newest first, additions as +N and grouped moves as ×k', () => {
    const rows = historyRows(groups.map((g) => ({ ...g, event_ids: [...g.event_ids] })))
    expect(rows.map((r) => [r.kind, r.qty, r.times, r.to])).toEqual([
      ['moved', '1', null, 'DONE'],
      ['moved', '3', 3, 'BUILDING'],
      ['added', '+10', null, 'IN_BOX'],
    ])
  })
})

describe('time formatting', () => {
  const now = Date.parse('2026-11-26T10:05:00Z')

  it('says how long ago in the user language', () => {
    expect(formatRelative('2026-11-26T10:00:00Z', now, 'en')).toBe('5 minutes ago')
    expect(formatRelative('2026-11-26T10:00:00Z', now, 'ru')).toBe('5 минут назад')
    expect(formatRelative('2026-11-26T10:04:50Z', now, 'en')).toBe('now')
    expect(formatRelative('2026-11-26T07:05:00Z', now, 'en')).toBe('3 hours ago')
    expect(formatRelative('2026-11-25T10:05:00Z', now, 'en')).toBe('yesterday')
    expect(formatRelative('2026-11-25T10:05:00Z', now, 'ru')).toBe('вчера')
  })

  it('writes local date and time in the locale', () => {
    expect(formatDateTime('2026-11-26T10:00:00Z', 'en', 'UTC')).toBe('Nov 26, 2026, 10:00 AM')
    expect(formatDateTime('2026-11-26T10:00:00Z', 'ru', 'UTC')).toBe('26 нояб. 2026 г., 10:00')
    expect(formatDateTime('2026-11-26T23:30:00Z', 'ru', 'Europe/Moscow')).toContain('27 нояб.')
  })

  it('names months in the locale', () => {
    expect(formatMonth('2026-11', 'en')).toBe('Nov 2026')
    expect(formatMonth('2026-01', 'ru')).toMatch(/^янв\.? 2026/)
  })
})

describe('HistoryList', () => {
  // The relative times are measured from the page's clock: held a day after the last group.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-11-04T10:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('shows localized stage names and the group badge', async () => {
    const { wrapper, i18n } = mountWithI18n(HistoryList, { props: { groups: groups.map((g) => ({ ...g, event_ids: [...g.event_ids] })) } })
    const rows = wrapper.findAll('[data-testid="history-row"]')
    expect(rows).toHaveLength(3)
    expect(rows[0].get('[data-testid="history-stages"]').text()).toBe('Building → Done')
    expect(rows[1].get('[data-testid="history-times"]').text()).toBe('×3')
    expect(rows[2].get('[data-testid="history-qty"]').text()).toBe('+10')
    expect(rows[2].get('[data-testid="history-stages"]').text()).toBe('Bought → In box')
    i18n.global.locale.value = 'ru'
    await wrapper.vm.$nextTick()
    expect(rows[0].get('[data-testid="history-stages"]').text()).toBe('Сборка → Готово')
    expect(wrapper.findAll('[data-testid="history-row"]')[2].get('[data-testid="history-stages"]').text()).toBe('Куплено → В коробке')
    expect(wrapper.get('[data-testid="history-relative"]').text()).toBe('вчера')
    expect(wrapper.findAll('[data-testid="history-relative"]')[2].text()).toBe('3 дня назад')
  })

  it('dates a grouped row by its last move and keeps the first in the tooltip', () => {
    const { wrapper } = mountWithI18n(HistoryList, { props: { groups: groups.map((g) => ({ ...g, event_ids: [...g.event_ids] })) } })
    const time = wrapper.findAll('[data-testid="history-time"]')
    expect(time[1].attributes('datetime')).toBe('2026-11-02T18:33:00Z')
    expect(time[1].text()).toBe(formatDateTime('2026-11-02T18:33:00Z', 'en'))
    expect(time[1].attributes('title')).toBe(`First move: ${formatDateTime('2026-11-02T18:30:00Z', 'en')}`)
    expect(time[0].attributes('title')).toBeUndefined()
  })

  it('says when there is no history', () => {
    const { wrapper } = mountWithI18n(HistoryList, { props: { groups: [] } })
    expect(wrapper.text()).toBe(createAppI18n('en').global.t('history.empty'))
  })
})
