import { createApp } from 'vue'
import App from './App.vue'
import { initBridge } from './composables/useBridge'
import { applyDocumentLocale, detectLocale } from './composables/useLocale'
import { createAppI18n } from './i18n'
import { createAppRouter } from './router'
import './styles/global.css'

const locale = detectLocale()
applyDocumentLocale(locale)
initBridge()

createApp(App).use(createAppI18n(locale)).use(createAppRouter()).mount('#app')
