import { errors, Pool as IndexPool } from 'undici';
import { describe, expect, it } from 'vitest';
import { Pool, undiciErrors } from './undici-pool.js';

describe('undici-pool', () => {
  it('gives the very classes undici exports, so instanceof checks hold either way', () => {
    expect(Pool).toBe(IndexPool);
    expect(undiciErrors.HeadersTimeoutError).toBe(errors.HeadersTimeoutError);
    expect(new undiciErrors.BodyTimeoutError()).toBeInstanceOf(errors.BodyTimeoutError);
  });
});
