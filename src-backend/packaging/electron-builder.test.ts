import fs from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

// The installers cannot be built here (Electron's download is blocked), so the config is
// checked against electron-builder's own JSON schema and against what we promise of it.
const config = JSON.parse(fs.readFileSync('electron-builder.json', 'utf8')) as Record<string, any>;
const schema = JSON.parse(fs.readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as Record<
  string,
  unknown
>;

describe('electron-builder config', () => {
  it('is valid against electron-builder’s schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const { $schema: _ignored, ...rest } = config;
    const validate = ajv.compile(schema);
    const ok = validate(rest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('targets AppImage/deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toContain('nsis');
    expect(config.mac.target).toContain('dmg');
  });

  it('unpacks the native modules from the asar and sets the fuses', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**']));
    expect(config.electronFuses).toMatchObject({ runAsNode: false, onlyLoadAppFromAsar: true });
  });

  it('ships the icons the tray and installers use', () => {
    for (const f of [
      'resources/icon.png',
      'resources/tray-healthy.png',
      'resources/tray-degraded.png',
      'resources/tray-down.png',
    ]) {
      expect(fs.statSync(f).size).toBeGreaterThan(100);
    }
  });
});
