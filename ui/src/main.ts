import { createApp } from 'vue'
import App from './App.vue'
import { initBridge } from './composables/useBridge'
import { applyDocumentLocale, detectLocale } from './composables/useLocale'
import { installRouteFocus } from './composables/useRouteFocus'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/global.css'

const locale = detectLocale()
applyDocumentLocale(locale)
initBridge()

const router = createAppRouter()
installRouteFocus(router)
createApp(App).use(createAppI18n(locale)).use(router).mount('#app')
