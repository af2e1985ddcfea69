// Each page names itself in the window's title ("Necrons — Miniatures Progress Tracker"), in the
// current language, so the title follows a language switch.
import { watchEffect } from 'vue'
import { useI18n } from 'vue-i18n'

export function usePageTitle(page: () => string | null | undefined): void {
  const { t } = useI18n({ useScope: 'global' })
  watchEffect(() => {
    const name = page()
    document.title = name ? t('app.pageTitle', { page: name, app: t('app.name') }) : t('app.name')
  })
}
