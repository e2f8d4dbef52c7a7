import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { ApiClient } from './api/client';
import { installApi } from './api/instance';
import { pickTransport } from './api/transport';
import { createConsoleRouter } from './router';
import { bootConsole } from './stores/load-order';
import { useSessionStore } from './stores/session';
import './styles/app.css';

const pinia = createPinia();
const app = createApp(App).use(pinia);

// Any 401 on a signed-in call ends the session everywhere at once.
installApi(new ApiClient(pickTransport(), { onUnauthorized: () => useSessionStore(pinia).expire() }));

// Boot (app info, session restore, live feeds) before the router's first guard runs.
void bootConsole().finally(() => {
  app.use(createConsoleRouter());
  app.mount('#app');
});
