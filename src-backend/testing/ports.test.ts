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

  it('takes ports below the ephemeral range, which outgoing connections use', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000);
      expect(p).toBeLessThan(32_768);
    }
  });
});
