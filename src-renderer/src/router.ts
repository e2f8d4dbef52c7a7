import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';

/**
 * The console's views, in nav order; `key` is the Alt+<key> shortcut shown in the nav, `short`
 * what the collapsed nav of a narrow window shows.
 */
export const NAV = [
  {
    name: 'status',
    path: '/status',
    label: 'Status',
    short: 'St',
    key: '1',
    component: () => import('./views/StatusView.vue'),
  },
  {
    name: 'users',
    path: '/users',
    label: 'Users',
    short: 'Us',
    key: '2',
    component: () => import('./views/UsersView.vue'),
  },
  {
    name: 'codes',
    path: '/codes',
    label: 'Codes',
    short: 'Cd',
    key: '3',
    component: () => import('./views/CodesView.vue'),
  },
  {
    name: 'courses',
    path: '/courses',
    label: 'Courses',
    short: 'Cr',
    key: '4',
    component: () => import('./views/CoursesView.vue'),
  },
  {
    name: 'logs',
    path: '/logs',
    label: 'Logs',
    short: 'Lg',
    key: '5',
    component: () => import('./views/LogsView.vue'),
  },
  {
    name: 'throttler',
    path: '/throttler',
    short: 'Th',
    label: 'Throttler',
    key: '6',
    component: () => import('./views/ThrottlerView.vue'),
  },
  {
    name: 'notifications',
    path: '/notifications',
    short: 'No',
    label: 'Notifications',
    key: '7',
    component: () => import('./views/NotificationsView.vue'),
  },
  {
    name: 'audit',
    path: '/audit',
    label: 'Audit',
    short: 'Au',
    key: '8',
    component: () => import('./views/AuditView.vue'),
  },
  {
    name: 'board',
    path: '/board',
    label: 'Board',
    short: 'Bd',
    key: '9',
    component: () => import('./views/BoardView.vue'),
  },
  {
    name: 'tickets',
    path: '/tickets',
    label: 'Time tickets',
    short: 'Tk',
    key: '0',
    component: () => import('./views/TimeTicketsView.vue'),
  },
  {
    name: 'changes',
    path: '/changes',
    label: 'Change log',
    short: 'Ch',
    key: '-',
    component: () => import('./views/ChangeLogView.vue'),
  },
] as const;

const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/status' },
  { name: 'login', path: '/login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
  ...NAV.map((n) => ({ name: n.name, path: n.path, component: n.component, meta: { title: n.label } })),
  // A course's own page (roster, waitlist, reservations, change log), reached from Courses.
  {
    name: 'course',
    path: '/courses/:id(\\d+)',
    component: () => import('./views/CoursePageView.vue'),
    meta: { title: 'Course' },
  },
  { name: 'account', path: '/account', component: () => import('./views/AccountView.vue'), meta: { title: 'Account' } },
  { path: '/:rest(.*)*', redirect: '/status' },
];

export function createConsoleRouter() {
  // Hash history: the same URLs work from Electron's file:// page and from the gateway.
  const router = createRouter({ history: createWebHashHistory(), routes });
  router.beforeEach((to) => {
    const session = useSessionStore();
    if (to.meta.public) return true;
    if (!session.isSignedIn || session.needsSetup) {
      return { name: 'login', query: to.fullPath !== '/status' ? { next: to.fullPath } : {} };
    }
    return true;
  });
  router.afterEach((to) => {
    const title = typeof to.meta.title === 'string' ? `${to.meta.title} · ` : '';
    document.title = `${title}Course Selection Console`;
  });
  return router;
}
