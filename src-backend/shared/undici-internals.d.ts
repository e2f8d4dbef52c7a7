// undici ships no types for its internal files; these two have the public classes' shapes.
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export default PoolClass;
}
declare module 'undici/lib/core/errors.js' {
  import type { errors } from 'undici';
  const errorClasses: typeof errors;
  export default errorClasses;
}
