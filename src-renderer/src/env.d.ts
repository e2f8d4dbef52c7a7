import type { PreloadApi } from '@contracts/preload-api';

export type { PreloadApi };

declare global {
  interface Window {
    api?: PreloadApi;
  }
}
