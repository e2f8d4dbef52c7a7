import { describe, expect, it } from 'vitest';
import { PORT_ENV, SERVICE_NAMES } from '../contracts/services.js';
import { loadConfig } from '../shared/config.js';
import { freePort, freePortEnv } from './ports.js';

describe('freePortEnv', () => {
  it('gives seven distinct ports, under the variables loadConfig reads', async () => {
    const { env, ports } = await freePortEnv();
    expect(Object.keys(env).sort()).toEqual([...Object.values(PORT_ENV), 'GATEWAY_PORT'].sort());
    expect(new Set(Object.values(ports)).size).toBe(SERVICE_NAMES.length + 1);
    const config = loadConfig(env);
    for (const name of SERVICE_NAMES) expect(config.ports[name]).toBe(ports[name]);
    expect(config.gatewayPort).toBe(ports.gateway);
  });

  it('takes ports below the ephemeral range, from the band of this worker, never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 200 }, () => freePort()));
    expect(new Set(ports).size).toBe(200);
    const band = Number(process.env.VITEST_POOL_ID) % 4;
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000 + band * 3000);
      expect(p).toBeLessThan(20_000 + (band + 1) * 3000);
    }
  });
});
