import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The signed-in user on a request has one name on every service, `request.user`, typed once
 * (shared/session-auth.ts). auth_node's extra session facts are `request.session`, never a
 * second copy of the user under another name.
 */
const BACKEND = path.resolve(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const SOURCES = sourceFiles(BACKEND).map((f) => ({
  file: path.relative(BACKEND, f),
  text: fs.readFileSync(f, 'utf8'),
}));

/** The properties a file adds to FastifyRequest through declaration merging. */
export function requestAugmentations(source: string): string[] {
  const block = /interface FastifyRequest \{([^}]*)\}/g;
  return [...source.matchAll(block)].flatMap((m) => [...m[1]!.matchAll(/^\s*(\w+)\??:/gm)].map((p) => p[1]!));
}

describe('one name for the signed-in user on a request', () => {
  it('finds an augmentation (the check can fail)', () => {
    const planted = "declare module 'fastify' {\n  interface FastifyRequest {\n    /** x */\n    auth?: Ctx;\n  }\n}";
    expect(requestAugmentations(planted)).toEqual(['auth']);
  });

  it('only shared/session-auth.ts puts a user on FastifyRequest, as `user`', () => {
    const declared = SOURCES.flatMap(({ file, text }) => requestAugmentations(text).map((p) => `${file}: ${p}`));
    expect(declared.filter((d) => !d.endsWith(': session'))).toEqual(['shared/session-auth.ts: user']);
  });

  it('no service reads the user under another name', () => {
    const other = /\b(request|req)\.(auth|account|currentUser|actor)\b/;
    const found = SOURCES.filter(({ text }) => other.test(text)).map(({ file }) => file);
    expect(found).toEqual([]);
  });
});
