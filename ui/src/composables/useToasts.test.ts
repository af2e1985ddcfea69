import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { createAppI18n } from '../i18n'
import type { Translate } from './useErrorText'
import { messageRef, showErrorToast, showToast, toastText, useToasts } from './useToasts'

describe('toasts', () => {
  it('are translated when shown, so they follow a language switch', () => {
    const i18n = createAppI18n('en')
    const t = i18n.global.t as Translate
    showToast('type.added', { qty: 2, stage: messageRef('stages.PRIMING') })
    showErrorToast(new ApiError('ERR_NETWORK'))
    const [added, failed] = useToasts().toasts.value.slice(-2)
    expect(toastText(added, t)).toBe('Added 2 to Priming')
    expect(toastText(failed, t)).toBe("Can't reach the app's server; nothing was saved.")
    expect(failed.kind).toBe('error')

    i18n.global.locale.value = 'ru'
    expect(toastText(added, t)).toBe('Добавлено 2 в этап «Грунтовка»')
    expect(toastText(failed, t)).toBe('Нет связи с сервером приложения; ничего не сохранено.')
  })
})
