import { createApp } from 'vue'
import App from './App.vue'
import { takePairingCode } from './api/session'
import { followDialogTexts, followWindowTitle, initBridge } from './composables/useBridge'
import { applyDocumentLocale, detectLocale } from './composables/useLocale'
import { installRouteFocus } from './composables/useRouteFocus'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/global.css'

const locale = detectLocale()
applyDocumentLocale(locale)
initBridge()

const i18n = createAppI18n(locale)
followWindowTitle(() => i18n.global.t('app.name'))
followDialogTexts((key) => i18n.global.t(key), () => i18n.global.locale.value)
// Before the router reads the address: the code must not stay in the address bar or history.
const pairingCode = takePairingCode()
const router = createAppRouter()
installRouteFocus(router)
createApp(App, { pairingCode }).use(i18n).use(router).mount('#app')
