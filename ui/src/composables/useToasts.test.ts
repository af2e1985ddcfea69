import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/client'
import { createAppI18n } from '../i18n'
import type { Translate } from './useErrorText'
import {
  dismissToast,
  focusToast,
  MAX_TOASTS,
  messageRef,
  pauseToasts,
  resumeToasts,
  showErrorToast,
  showToast,
  toastText,
  useToasts,
} from './useToasts'

const { toasts } = useToasts()
const keys = () => toasts.value.map((toast) => toast.key ?? 'error')
const undo = { key: 'undo.action', run: () => undefined }

beforeEach(() => {
  for (const toast of toasts.value) dismissToast(toast.id)
  for (const reason of ['pointer', 'focus', 'hidden', 'away'] as const) resumeToasts(reason)
})
afterEach(() => {
  focusToast(null)
  vi.useRealTimers()
})

describe('toasts', () => {
  it('are translated when shown, so they follow a language switch', () => {
    const i18n = createAppI18n('en')
    const t = i18n.global.t as Translate
    showToast('type.added', { qty: 2, stage: messageRef('stages.PRIMING') })
    showErrorToast(new ApiError('ERR_NETWORK'))
    const [added, failed] = toasts.value.slice(-2)
    expect(toastText(added, t)).toBe('Added 2 to Priming')
    expect(toastText(failed, t)).toBe("Can't reach the app's server; nothing was saved.")
    expect(failed.kind).toBe('error')

    i18n.global.locale.value = 'ru'
    expect(toastText(added, t)).toBe('Добавлено 2 в этап «Грунтовка»')
    expect(toastText(failed, t)).toBe('Нет связи с сервером приложения; ничего не сохранено.')
  })

  it('are never more than two: the newest replaces the oldest', () => {
    expect(MAX_TOASTS).toBe(2)
    showToast('addType.created', { name: 'A' })
    showToast('addType.created', { name: 'B' })
    showToast('type.renamed', { name: 'C' })
    showErrorToast(new ApiError('ERR_NETWORK'))
    expect(keys()).toEqual(['type.renamed', 'error'])
  })

  it('merge a repeated message into one, which counts its time afresh', () => {
    vi.useFakeTimers()
    showToast('type.renamed', { name: 'A' })
    showErrorToast(new ApiError('ERR_NETWORK'))
    vi.advanceTimersByTime(4000)
    showToast('type.renamed', { name: 'A' })
    showErrorToast(new ApiError('ERR_NETWORK'))
    expect(keys()).toEqual(['type.renamed', 'error'])
    vi.advanceTimersByTime(4000)
    expect(keys()).toEqual(['type.renamed', 'error'])
    // Another name is another message.
    showToast('type.renamed', { name: 'B' })
    expect(toasts.value.map((toast) => toast.params?.name ?? 'error')).toEqual(['error', 'B'])
  })

  it('keep one Undo, the latest change’s', () => {
    showToast('move.moved', { name: 'A' }, 'info', 10_000, undo)
    showToast('move.moved', { name: 'B' }, 'info', 10_000, undo)
    expect(toasts.value).toHaveLength(1)
    expect(toasts.value[0].params?.name).toBe('B')
  })

  it('stand still while the pointer or the focus is on them, or the user is elsewhere', () => {
    vi.useFakeTimers()
    showToast('type.renamed', { name: 'A' })
    for (const reason of ['pointer', 'focus', 'hidden', 'away'] as const) {
      pauseToasts(reason)
      vi.advanceTimersByTime(60_000)
      expect(keys()).toEqual(['type.renamed'])
      resumeToasts(reason)
      // Its time starts again in full.
      vi.advanceTimersByTime(4900)
      expect(keys()).toEqual(['type.renamed'])
    }
    vi.advanceTimersByTime(200)
    expect(keys()).toEqual([])
  })

  it('never take away the toast the keyboard is on', () => {
    showToast('move.moved', { name: 'A' }, 'info', 10_000, undo)
    focusToast(toasts.value[0].id)
    showToast('move.moved', { name: 'B' }, 'info', 10_000, undo)
    showToast('type.renamed', { name: 'C' })
    expect(toasts.value.map((toast) => toast.params?.name)).toEqual(['A', 'C'])
  })
})
