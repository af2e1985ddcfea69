import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import type { Component } from 'vue'
import { createMemoryHistory } from 'vue-router'
import { createAppI18n, type Locale } from '../i18n'
import { createAppRouter } from '../router'

export function mountWithI18n<C extends Component>(
  component: C,
  options: ComponentMountingOptions<C> = {},
  locale: Locale = 'en',
) {
  const i18n = createAppI18n(locale)
  const router = createAppRouter(createMemoryHistory())
  const wrapper = mount(component, {
    ...options,
    global: { plugins: [i18n, router], ...(options.global ?? {}) },
  } as ComponentMountingOptions<C>)
  return { wrapper, i18n, router }
}
