import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConsoleRequest } from './console-protocol.js';

/** A small built console on disk, with a secret next to it that must never be served. */
let root: string;
let outside: string;
beforeAll(() => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'csc-desktop-')));
  root = path.join(base, 'renderer');
  outside = path.join(base, 'secret.txt');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'export {}');
  fs.writeFileSync(outside, 'secret');
  fs.symlinkSync(outside, path.join(root, 'assets', 'leak.txt'));
});
afterAll(() => fs.rmSync(path.dirname(root), { recursive: true, force: true }));

describe('resolveConsoleRequest', () => {
  it('serves the console’s files with their type', () => {
    expect(resolveConsoleRequest(root, 'app://console/')).toEqual({
      status: 200,
      file: path.join(root, 'index.html'),
      type: 'text/html; charset=utf-8',
    });
    expect(resolveConsoleRequest(root, 'app://console/assets/app.js?v=1')).toMatchObject({
      status: 200,
      file: path.join(root, 'assets', 'app.js'),
      type: 'text/javascript; charset=utf-8',
    });
  });

  it('answers the console’s own routes with index.html, but a missing asset with 404', () => {
    expect(resolveConsoleRequest(root, 'app://console/users')).toMatchObject({
      status: 200,
      file: path.join(root, 'index.html'),
    });
    expect(resolveConsoleRequest(root, 'app://console/assets/missing.js')).toEqual({ status: 404 });
  });

  it.each([
    'app://console/..%2fsecret.txt',
    'app://console/assets/..%2f..%2fsecret.txt',
    'app://console/%2e%2e/secret.txt',
    'app://console/..%5csecret.txt',
    'app://console/index.html%00.js',
    'app://console/assets/leak.txt',
  ])('never serves anything outside the build: %s', (url) => {
    const answer = resolveConsoleRequest(root, url);
    expect(answer.status === 400 || answer.status === 404, JSON.stringify(answer)).toBe(true);
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveConsoleRequest(root, 'app://other/index.html')).toEqual({ status: 404 });
    expect(resolveConsoleRequest(root, 'https://console/index.html')).toEqual({ status: 404 });
    expect(resolveConsoleRequest(root, 'not a url')).toEqual({ status: 400 });
  });
});
