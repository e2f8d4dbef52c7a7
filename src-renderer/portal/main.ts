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

// Restore the session before the router's first guard, so a reload stays on its page.
void useAccountStore(pinia)
  .restore()
  .finally(() => {
    app.use(createPortalRouter());
    app.mount('#app');
  });
