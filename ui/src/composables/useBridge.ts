// The native dialogs of the desktop window, when the app runs inside it, its title and what its
// dialogs say.
import { shallowRef, watchEffect } from 'vue'
import type { BridgeFailure, DesktopBridge, DialogTexts } from '../bridge'

const bridge = shallowRef<DesktopBridge | null>(null)

function hasBridgeApi(target: Window): boolean {
  const api = target.pywebview?.api
  return typeof api?.save_backup === 'function' && typeof api.open_backup === 'function'
}

export function initBridge(target: Window = window): void {
  const adopt = () => {
    if (hasBridgeApi(target)) bridge.value = target.pywebview!.api
  }
  adopt() // the event may have fired before the app started
  target.addEventListener('pywebviewready', adopt)
}

/** The window's title says the app's name in the UI's language, and follows a switch. */
export function followWindowTitle(appName: () => string): void {
  watchEffect(() => {
    const name = appName()
    const api = bridge.value
    if (typeof api?.set_window_title === 'function') void api.set_window_title(name).catch(() => undefined) // a title only
  })
}

const DIALOG_TEXTS = ['save', 'open', 'backup', 'spreadsheet', 'all'] as const

/** The window's file dialogs say their titles and kinds of file in the UI's language too
 *  (`fileDialogs.*`), their own buttons and labels in that language, and follow a switch. */
export function followDialogTexts(t: (key: string) => string, language: () => string): void {
  watchEffect(() => {
    const said = Object.fromEntries(DIALOG_TEXTS.map((name) => [name, t(`fileDialogs.${name}`)]))
    const texts = { ...said, language: language() } as DialogTexts
    const api = bridge.value
    if (typeof api?.set_dialog_texts === 'function') void api.set_dialog_texts(texts).catch(() => undefined) // words only
  })
}

export function isBridgeFailure(value: object): value is BridgeFailure {
  return 'code' in value && typeof (value as BridgeFailure).code === 'string'
}

export function useBridge() {
  return { bridge }
}
