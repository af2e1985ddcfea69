import { createRouter, createWebHistory, type RouterHistory } from 'vue-router'
import CollectionView from './views/CollectionView.vue'

export function createAppRouter(history: RouterHistory = createWebHistory()) {
  return createRouter({
    history,
    routes: [
      { path: '/', name: 'collection', component: CollectionView },
      { path: '/types/:id(\\d+)', name: 'type', component: () => import('./views/TypeView.vue'), props: true },
      { path: '/progress', name: 'progress', component: () => import('./views/ProgressView.vue') },
      { path: '/:rest(.*)*', redirect: '/' },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  })
}
