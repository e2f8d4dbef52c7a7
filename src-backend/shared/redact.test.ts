import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseLogLine } from '../supervisor/log-record.js';
import { loggerOptions } from './logger.js';
import { REDACTED, redactFields, redactText } from './redact.js';

describe('redactText', () => {
  it('censors password, token and secret values and bearer tokens in free text', () => {
    expect(redactText('password: hunter2-long')).toBe(`password: ${REDACTED}`);
    expect(redactText('login failed token=abc.def&x=1')).toBe(`login failed token=${REDACTED}&x=1`);
    expect(redactText('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=y')).toBe(
      `otpauth://totp/x?secret=${REDACTED}&issuer=y`,
    );
    expect(redactText('authorization: Bearer 0123abcdef')).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redactText('{"password":"x1y2z3"}')).toBe(`{"password":"${REDACTED}"}`);
  });

  it('leaves ordinary text alone', () => {
    const line = 'course created: CS101 by admin (42 seats)';
    expect(redactText(line)).toBe(line);
  });
});

describe('redactFields', () => {
  it('censors secret fields at any depth and keeps the rest', () => {
    expect(
      redactFields({ userId: 7, password: 'p', nested: { totpSecret: 's', code: 'CS101' }, list: [{ token: 't' }] }),
    ).toEqual({
      userId: 7,
      password: REDACTED,
      nested: { totpSecret: REDACTED, code: 'CS101' },
      list: [{ token: REDACTED }],
    });
  });
});

describe('the log pipeline', () => {
  it('pino censors secret fields at the source', () => {
    const lines: string[] = [];
    const log = pino(loggerOptions('auth_node'), { write: (s: string) => lines.push(s) });
    log.info({ password: 'pw-1', user: { initialPassword: 'pw-2' }, token: 'tok-3', userId: 5 }, 'user imported');
    expect(lines.join('')).not.toMatch(/pw-1|pw-2|tok-3/);
    expect(lines.join('')).toContain('"userId":5');
  });

  it('the supervisor scrubs text a child printed without pino', () => {
    const rec = parseLogLine('auth_node', { stream: 'stderr', line: '   password: Zq9-one-time' }, 1);
    expect(rec.msg).toBe(`   password: ${REDACTED}`);
  });
});

describe('structured fields in the log pipeline', () => {
  it('a pino line keeps its fields (courseId, actor) with secrets censored', () => {
    const rec = parseLogLine(
      'teacher_node',
      {
        stream: 'stdout',
        line: JSON.stringify({
          level: 'info',
          time: 1,
          pid: 9,
          service: 'teacher_node',
          msg: 'course created',
          courseId: 12,
          actor: 'admin',
          password: 'x',
        }),
      },
      1,
    );
    expect(rec.fields).toEqual({ courseId: 12, actor: 'admin', password: REDACTED });
  });
});
