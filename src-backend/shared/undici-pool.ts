/**
 * undici's Pool and error classes without the rest of undici. Its index also loads fetch,
 * WebSocket, the cache and the web globals (and through them Node's own bundled undici): about
 * 80 ms of CPU at every service start for code the services never call. Same classes, so
 * `instanceof` holds against what undici's index exports.
 */
import type * as Undici from 'undici';
import PoolClass from 'undici/lib/dispatcher/pool.js';
import errorClasses from 'undici/lib/core/errors.js';

export const Pool = PoolClass;
export type Pool = Undici.Pool;
export const undiciErrors = errorClasses;
