import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import type { Role } from '@contracts/session';
import { useAccountStore } from './stores/account';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** reachable signed out */
    public?: boolean;
    /** only this role; absent = any signed-in user */
    role?: Role;
  }
}

/** Where each role starts. */
export function homeFor(role: Role | null): string {
  return role === 'teacher' ? '/teach' : '/courses';
}

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => homeFor(useAccountStore().role) },
  {
    name: 'signin',
    path: '/signin',
    component: () => import('./views/SignInView.vue'),
    meta: { public: true, title: 'Sign in' },
  },
  {
    name: 'register',
    path: '/register',
    component: () => import('./views/RegisterView.vue'),
    meta: { public: true, title: 'Register' },
  },
  {
    name: 'lost',
    path: '/lost-authenticator',
    component: () => import('./views/LostAuthenticatorView.vue'),
    meta: { public: true, title: 'Lost my authenticator' },
  },
  {
    name: 'courses',
    path: '/courses',
    component: () => import('./views/CatalogueView.vue'),
    meta: { role: 'student', title: 'Courses' },
  },
  {
    name: 'timetable',
    path: '/timetable',
    component: () => import('./views/TimetableView.vue'),
    meta: { role: 'student', title: 'Timetable' },
  },
  { name: 'inbox', path: '/inbox', component: () => import('./views/InboxView.vue'), meta: { title: 'Notifications' } },
  {
    name: 'chat',
    path: '/chat/:userId?',
    component: () => import('./views/ChatView.vue'),
    meta: { title: 'Messages' },
  },
  {
    name: 'teach',
    path: '/teach',
    component: () => import('./views/TeachCoursesView.vue'),
    meta: { role: 'teacher', title: 'My courses' },
  },
  {
    name: 'teach-new',
    path: '/teach/new',
    component: () => import('./views/TeachCourseEditView.vue'),
    meta: { role: 'teacher', title: 'New course' },
  },
  {
    name: 'teach-course',
    path: '/teach/:courseId(\\d+)',
    component: () => import('./views/TeachCourseView.vue'),
    meta: { role: 'teacher', title: 'Course' },
  },
  {
    name: 'teach-edit',
    path: '/teach/:courseId(\\d+)/edit',
    component: () => import('./views/TeachCourseEditView.vue'),
    meta: { role: 'teacher', title: 'Edit course' },
  },
  { path: '/:rest(.*)*', redirect: '/' },
];

export function createPortalRouter() {
  // History mode under /portal/: the gateway serves the page for every deep link.
  const router = createRouter({ history: createWebHistory('/portal/'), routes });
  router.beforeEach((to) => {
    const account = useAccountStore();
    if (to.meta.public) return true;
    if (!account.isSignedIn) return { name: 'signin', query: { next: to.fullPath } };
    if (to.meta.role && to.meta.role !== account.role) return homeFor(account.role);
    return true;
  });
  router.afterEach((to) => {
    document.title = `${to.meta.title ? `${to.meta.title} · ` : ''}Course Portal`;
  });
  return router;
}
