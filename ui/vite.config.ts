import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The SPA is served by the backend at /; in development Vite proxies the API to it.
export default defineConfig({
  plugins: [vue()],
  // vue-i18n feature flags: Composition API only, no devtools hooks in the build.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false } },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    restoreMocks: true,
    unstubGlobals: true,
    setupFiles: ['src/test/setup.ts'],
    // A worker per processor: left to itself Vitest ran one here (2 processors), 80 s a run
    // against 54 s, and the test command runs the suite four times (three far clocks).
    maxWorkers: '100%',
  },
})
