import { createApp } from 'vue';
import { createPinia } from 'pinia';
import PortalApp from './PortalApp.vue';
import { ApiClient } from '../src/api/client';
import { installApi } from '../src/api/instance';
import { httpTransport } from '../src/api/transport';
import { createPortalRouter } from './router';
import { useAccountStore } from './stores/account';
import './portal.css';

const pinia = createPinia();
const app = createApp(PortalApp).use(pinia);
// The portal only ever runs in a browser against the gateway; any 401 on a signed-in call ends the session.
installApi(new ApiClient(httpTransport(), { onUnauthorized: () => useAccountStore(pinia).expire() }));
const router = createPortalRouter();

// Fetch the page's view while the session is checked, not after: both are on the way to interactive.
for (const record of router.resolve(window.location.pathname.replace(/^\/portal/, '') || '/').matched) {
  const view = record.components?.default;
  if (typeof view === 'function') void (view as () => Promise<unknown>)();
}

// Restore the session before the router's first guard, so a reload stays on its page.
void useAccountStore(pinia)
  .restore()
  .finally(() => {
    app.use(router);
    app.mount('#app');
  });
