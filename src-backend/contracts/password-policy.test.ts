import { describe, expect, it } from 'vitest';
import { loadPasswordPolicy, passwordShapeProblem } from './password-policy.js';

describe('password policy', () => {
  it('8 to 256 characters, counted as characters, not UTF-16 units', () => {
    expect(passwordShapeProblem('seven-c')).toBe('password is too short (at least 8 characters)');
    expect(passwordShapeProblem('eight-ch')).toBeNull();
    expect(passwordShapeProblem('🔑🔑🔑🔑🔑🔑🔑')).toMatch(/too short/); // 7 characters, 14 units
    expect(passwordShapeProblem('x'.repeat(256))).toBeNull();
    expect(passwordShapeProblem('🔑'.repeat(256))).toBeNull();
    expect(passwordShapeProblem('x'.repeat(257))).toBe('password is too long (at most 256 characters)');
  });

  it('refuses C0 and C1 control characters', () => {
    for (const c of ['\u0000', '\t', '\n', '\u001b', '\u007f', '\u0085', '\u009f'])
      expect(passwordShapeProblem(`long-pass${c}word`), JSON.stringify(c)).toBe(
        'password contains a control character',
      );
    expect(passwordShapeProblem('spaces are fine ü ß 密码')).toBeNull();
  });

  it('refuses a password that contains the username, in any case', () => {
    expect(passwordShapeProblem('my-Alice-2026!', 'alice')).toBe('password contains the username');
    expect(passwordShapeProblem('my-Alice-2026!', 'bob')).toBeNull();
  });

  it('refuses the common passwords @zxcvbn-ts ships, in any case, and names the reason', async () => {
    const policy = await loadPasswordPolicy();
    for (const p of ['password123', 'Password1', 'qwertyuiop', 'P@ssw0rd', 'iloveyou1', 'trustno1'])
      expect(policy.problem(p, 'someone'), p).toBe('password is too common');
    expect(policy.problem('correct-horse-battery', 'someone')).toBeNull();
    // the cheaper checks still come first
    expect(policy.problem('short', 'someone')).toMatch(/too short/);
    expect(policy.problem('someone-password', 'someone')).toBe('password contains the username');
  });
});
