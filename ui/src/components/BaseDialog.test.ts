import { describe, expect, it } from 'vitest'
import { openDialogs } from '../composables/useOpenDialogs'
import { mountWithI18n } from '../test/mountWithI18n'
import BaseDialog from './BaseDialog.vue'

const locked = () => document.documentElement.classList.contains('page-locked')

describe('the dialog frame', () => {
  it('keeps the page behind still while any dialog is open, and lets go after the last', () => {
    const first = mountWithI18n(BaseDialog, { props: { title: 'First' }, attachTo: document.body }).wrapper
    expect(locked()).toBe(true)
    const second = mountWithI18n(BaseDialog, { props: { title: 'Second' }, attachTo: document.body }).wrapper
    // The topmost is the last open: toasts go inside it.
    expect(openDialogs.value.at(-1)).toBe(second.element)
    second.unmount()
    expect(locked()).toBe(true)
    expect(openDialogs.value.at(-1)).toBe(first.element)
    first.unmount()
    expect(locked()).toBe(false)
    expect(openDialogs.value).toEqual([])
  })
})
