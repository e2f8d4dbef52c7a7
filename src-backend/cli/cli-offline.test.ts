import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePortEnv, freePorts } from '../testing/ports.js';
import { shortTempDir } from '../testing/stack.js';
import { cliJs, makeHome, oneErrorLine, runCli } from './testing/run-cli.js';

// Each test runs the CLI several times as real processes on a shared 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

/** Addresses where nothing runs: an empty socket folder and ports nobody listens on. */
let downEnv: Record<string, string>;
let socketDir: string;
const homes: string[] = [];
function home(): string {
  const h = makeHome();
  homes.push(h);
  return h;
}

beforeAll(async () => {
  socketDir = shortTempDir('csc-s-');
  const portEnv = await freePortEnv();
  downEnv = {
    SOCKET_DIR: socketDir,
    ...portEnv.env,
    NO_COLOR: '1',
  };
});
afterAll(() => {
  fs.rmSync(socketDir, { recursive: true, force: true });
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

/** Write a session file by hand, as a previous login would have left it. */
function saveSession(h: string, overrides: Record<string, unknown> = {}, mode = 0o600): string {
  const dir = path.join(h, '.course_selection');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'config.json');
  const session = {
    token: 'x'.repeat(64),
    username: 'admin',
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    savedAt: new Date().toISOString(),
    target: 'local',
    ...overrides,
  };
  fs.writeFileSync(file, JSON.stringify(session), { mode });
  fs.chmodSync(file, mode);
  return file;
}

describe('course-cli --help', () => {
  const commands = [
    [],
    ['user'],
    ['user', 'login'],
    ['user', 'logout'],
    ['user', 'add-student'],
    ['user', 'add-teacher'],
    ['user', 'list'],
    ['user', 'delete'],
    ['user', 'reset-2fa'],
    ['code'],
    ['code', 'generate'],
    ['import'],
    ['import', 'csv'],
    ['status'],
    ['process'],
    ['process', 'start'],
    ['process', 'stop'],
    ['process', 'restart'],
  ];
  it.each(commands.map((c) => [c.join(' ') || '(root)', c]))('%s --help exits 0 with examples', async (_label, cmd) => {
    const run = await runCli([...(cmd as string[]), '--help'], { home: home(), env: downEnv });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: course-cli/);
    expect(run.stdout).toContain('Examples:\n  $ course-cli');
    expect(run.stderr).toBe('');
  });

  it('prints the version', async () => {
    const run = await runCli(['--version'], { home: home(), env: downEnv });
    expect(run).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

const addTeacherWith = (password: string) => [
  'user',
  'add-teacher',
  '--username',
  'tina',
  '--name',
  'T',
  '--email',
  't@example.com',
  '--password',
  password,
];

describe('wrong usage exits 2 with one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['stat'], /^error: unknown command 'stat' \(Did you mean status\?\)/],
    ['missing required option', ['user', 'list'], /required option '--user-type <type>' not specified/],
    [
      'bad choice',
      ['user', 'list', '--user-type', 'janitor'],
      /argument 'janitor' is invalid\. Allowed choices are student, teacher, admin/,
    ],
    [
      'bad --max-uses',
      ['code', 'generate', '--user-type', 'student', '--max-uses', 'lots'],
      /^error: --max-uses "lots" is not a whole number$/,
    ],
    [
      'bad --expires-in',
      ['code', 'generate', '--user-type', 'student', '--max-uses', '1', '--expires-in', 'soon'],
      /--expires-in "soon" is not a duration/,
    ],
    [
      'group on a teacher code',
      ['code', 'generate', '--user-type', 'teacher', '--max-uses', '1', '--group', 'g'],
      /--group only applies to --user-type student/,
    ],
    [
      'bad username',
      ['user', 'add-teacher', '--username', 'a b', '--name', 'A', '--email', 'a@example.com'],
      /--username "a b" is not valid/,
    ],
    [
      'bad email',
      ['user', 'add-student', '--username', 'alice', '--name', 'A', '--email', 'nope', '--group', 'g'],
      /--email "nope" is not an email address/,
    ],
    ['common password', addTeacherWith('Password1'), /^error: --password: password is too common$/],
    [
      'password containing the username',
      addTeacherWith('I-am-Tina-2026'),
      /^error: --password: password contains the username$/,
    ],
    [
      'bad --totp',
      ['user', 'login', '--username', 'admin', '--password', 'x', '--totp', '12'],
      /--totp must be the 6 digits/,
    ],
    ['bad id', ['user', 'delete', 'five', '--user-type', 'student', '--yes'], /ID "five" is not a whole number/],
    ['extra argument', ['status', 'now'], /too many arguments/],
    [
      'bare login without a terminal',
      ['user', 'login'],
      /^error: required option '--username <name>' not specified \(stdin is not a terminal to ask on\)$/,
    ],
    [
      'unknown process name',
      ['process', 'restart', 'web_node'],
      /^error: unknown process "web_node": use one of data_node, auth_node, teacher_node, student_node, queue_node, realtime$/,
    ],
    ['process without a name', ['process', 'stop'], /missing required argument 'name'/],
    ['unknown process operation', ['process', 'pause', 'realtime'], /unknown command 'pause'/],
    ['bad --url', ['--url', 'ftp://x', 'status'], /--url must be http:\/\/ or https:\/\//],
    [
      'generate without output',
      ['import', 'csv', 'x.csv', '--user-type', 'student', '--generate-passwords'],
      /--generate-passwords needs --output/,
    ],
  ];
  it.each(cases)('%s', async (_label, args, message) => {
    const run = await runCli(args, { home: home(), env: downEnv });
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('refuses to delete without --yes when stdin is not a terminal, before any call', async () => {
    const h = home();
    saveSession(h);
    const run = await runCli(['user', 'delete', '5', '--user-type', 'student'], { home: h, env: downEnv });
    expect(run.code).toBe(2);
    expect(oneErrorLine(run)).toBe(
      'error: refusing to delete without confirmation: stdin is not a terminal, pass --yes',
    );
  });
});

describe('services down', () => {
  it('status shows every process down with red dots and says how to start them', async () => {
    const run = await runCli(['status'], { home: home(), env: downEnv });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe('error: services not running: start them with npm run server');
    for (const label of ['Data Node', 'Auth Node', 'Teacher Node', 'Student Node', 'Queue Node', 'Realtime']) {
      expect(run.stdout).toMatch(new RegExp(`\n {2}● ${label}: down +\\(unreachable\\)\n`));
    }
    expect(run.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it('colours the dots red when colour is forced, and NO_COLOR beats FORCE_COLOR', async () => {
    const { NO_COLOR: _drop, ...env } = downEnv;
    const coloured = await runCli(['status'], { home: home(), env: { ...env, FORCE_COLOR: '1' } });
    expect(coloured.stdout).toContain('\x1b[31m●\x1b[39m');
    const plain = await runCli(['status'], { home: home(), env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    const piped = await runCli(['status'], { home: home(), env });
    expect(piped.stdout).not.toMatch(/\x1b\[/); // stdout is a pipe, not a TTY
  });

  it('status --json is machine-readable', async () => {
    const run = await runCli(['status', '--json'], { home: home(), env: downEnv });
    expect(run.code).toBe(1);
    const body = JSON.parse(run.stdout) as { source: string; up: number; processes: { name: string; state: string }[] };
    expect(body.source).toBe('health probes');
    expect(body.up).toBe(0);
    expect(body.processes.map((p) => p.state)).toEqual(Array(6).fill('down'));
  });

  it('login says the services are not running', async () => {
    const run = await runCli(['user', 'login', '--username', 'admin', '--password', 'whatever-123'], {
      home: home(),
      env: downEnv,
    });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe(
      'error: services not running: start them with npm run server (auth_node did not answer)',
    );
  });

  it('a command with a session says the services are not running', async () => {
    const h = home();
    saveSession(h);
    const run = await runCli(['user', 'list', '--user-type', 'student'], { home: h, env: downEnv });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toMatch(/^error: services not running: start them with npm run server/);
  });

  it('names the URL when --url points nowhere', async () => {
    const [port] = await freePorts(1);
    const run = await runCli(['user', 'login', '--username', 'admin', '--password', 'whatever-123'], {
      home: home(),
      env: { ...downEnv, COURSE_CLI_URL: `http://127.0.0.1:${port}` },
    });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe(`error: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
  });
});

describe('an unexpected error (a bug)', () => {
  /** Something that is not our product answers 200 `{}` to everything: the CLI trips on it. */
  async function nonsenseServer(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
  }
  const args = ['user', 'login', '--username', 'admin', '--password', 'whatever-123'];

  it('is one line on stderr naming the error, with no stack trace', async () => {
    const stub = await nonsenseServer();
    try {
      const run = await runCli(args, { home: home(), env: { ...downEnv, COURSE_CLI_URL: stub.url } });
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toMatch(/^error: unexpected TypeError: Cannot read properties of undefined/);
      expect(run.stdout).toBe('');
    } finally {
      await stub.close();
    }
  });

  it('shows its stack only with COURSE_CLI_DEBUG set', async () => {
    const stub = await nonsenseServer();
    try {
      const run = await runCli(args, {
        home: home(),
        env: { ...downEnv, COURSE_CLI_URL: stub.url, COURSE_CLI_DEBUG: '1' },
      });
      expect(run.code).toBe(1);
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines[0]).toMatch(/^error: unexpected TypeError: /);
      expect(lines[1]).toMatch(/^TypeError: Cannot read properties of undefined/);
      expect(lines.slice(2).filter((l) => /^\s+at /.test(l)).length).toBeGreaterThan(0);
    } finally {
      await stub.close();
    }
  });
});

describe('SOCKET_DIR', () => {
  it('is refused when other users can reach into it, before any credential is sent', async () => {
    const open = shortTempDir('csc-s-');
    try {
      fs.chmodSync(open, 0o755);
      const run = await runCli(['user', 'login', '--username', 'admin', '--password', 'whatever-123'], {
        home: home(),
        env: { ...downEnv, SOCKET_DIR: open },
      });
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toBe(
        `error: SOCKET_DIR ${open} is open to other users (mode 755); refusing to send credentials there: run chmod 700 on it`,
      );
    } finally {
      fs.rmSync(open, { recursive: true, force: true });
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    'is refused when a folder above it belongs to another user (nobody), who could swap it',
    async () => {
      const parent = shortTempDir('csc-n-');
      const inner = path.join(parent, 's');
      try {
        fs.mkdirSync(inner, { mode: 0o700 });
        fs.chmodSync(parent, 0o755);
        fs.chownSync(parent, 65534, 65534);
        const run = await runCli(['user', 'login', '--username', 'admin', '--password', 'whatever-123'], {
          home: home(),
          env: { ...downEnv, SOCKET_DIR: inner },
        });
        expect(run.code).toBe(1);
        expect(oneErrorLine(run)).toBe(
          `error: SOCKET_DIR ${inner}: the folder ${parent} above it is owned by uid 65534, not by root or this user (uid 0); refusing to send credentials there`,
        );
      } finally {
        fs.rmSync(parent, { recursive: true, force: true });
      }
    },
  );

  it('is refused when it is a symlink', async () => {
    const link = `${socketDir}-link`;
    fs.symlinkSync(socketDir, link);
    try {
      const run = await runCli(['status'], { home: home(), env: { ...downEnv, SOCKET_DIR: link } });
      expect(run.code).toBe(1);
      expect(oneErrorLine(run)).toBe(
        `error: SOCKET_DIR ${link} is not a plain folder (symlink?); refusing to send credentials there`,
      );
    } finally {
      fs.rmSync(link, { force: true });
    }
  });
});

describe('the session file', () => {
  it('is refused when others can read it', async () => {
    const h = home();
    saveSession(h, {}, 0o644);
    const run = await runCli(['user', 'list', '--user-type', 'student'], { home: h, env: downEnv });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe(
      'error: ~/.course_selection/config.json is readable by other users (mode 644); refusing to use it: run chmod 600 ~/.course_selection/config.json or course-cli user login again',
    );
  });

  it('past its expiry says the session expired, without calling anything', async () => {
    const h = home();
    saveSession(h, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const run = await runCli(['code', 'generate', '--user-type', 'student', '--max-uses', '1'], {
      home: h,
      env: downEnv,
    });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe('error: session expired: run course-cli user login');
  });

  it('from another place (--url) is not sent there', async () => {
    const h = home();
    saveSession(h, { target: 'http://example.invalid:8000' });
    const run = await runCli(['user', 'list', '--user-type', 'student'], { home: h, env: downEnv });
    expect(oneErrorLine(run)).toBe(
      'error: the saved session is for http://example.invalid:8000, not local: run course-cli user login',
    );
  });

  it('without one, commands say to log in, and logout has nothing to do', async () => {
    const h = home();
    const run = await runCli(['user', 'reset-2fa', 'alice'], { home: h, env: downEnv });
    expect(run.code).toBe(1);
    expect(oneErrorLine(run)).toBe('error: not logged in: run course-cli user login');
    const out = await runCli(['user', 'logout'], { home: h, env: downEnv });
    expect(out).toMatchObject({ code: 0, stdout: 'Not logged in; nothing to do.\n' });
  });

  it('is removed by logout even when the server cannot be told', async () => {
    const h = home();
    const file = saveSession(h);
    const run = await runCli(['user', 'logout'], { home: h, env: downEnv });
    expect(run.code).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(run.stderr).toMatch(/the server was not told \(services not running/);
  });
});

describe('bin/course-cli.js', () => {
  /** The launcher in a scratch project folder, so the built and unbuilt cases are both real. */
  function launcherIn(withBuild: boolean): string {
    const root = home();
    fs.mkdirSync(path.join(root, 'bin'));
    fs.copyFileSync(path.resolve('bin/course-cli.js'), path.join(root, 'bin/course-cli.js'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"type":"module"}');
    if (withBuild) {
      fs.mkdirSync(path.join(root, 'out/main'), { recursive: true });
      fs.symlinkSync(cliJs(), path.join(root, 'out/main/cli.js'));
    }
    return path.join(root, 'bin/course-cli.js');
  }

  it('runs the built CLI', () => {
    const res = spawnSync(process.execPath, [launcherIn(true), '--version'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home() },
    });
    expect(res.stdout).toBe('0.1.0\n');
    expect(res.status).toBe(0);
  });

  it('says to build when the build is missing', () => {
    const res = spawnSync(process.execPath, [launcherIn(false), 'status'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: home() },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('error: course-cli is not built yet: run npm run build\n');
  });
});

describe('text from the server is printed, never obeyed', () => {
  // A stand-in gateway holding what the schema refuses today: a name stored before the rule,
  // with a clear-screen, a colour and a right-to-left override in it.
  const EVIL = 'Mallory\u001b[2J\u001b[31m\u202eevil';
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/health') return res.end(JSON.stringify({ status: 'healthy', service: 'gateway' }));
      if (req.url?.startsWith('/api/auth_node/admin/users?')) {
        const user = {
          id: 7,
          username: 'mallory',
          name: EVIL,
          email: 'm@example.org',
          role: 'student',
          group: 'g',
          disabled: false,
          mustChangePassword: false,
          totpEnabled: true,
          createdAt: new Date().toISOString(),
        };
        return res.end(JSON.stringify({ items: [user], total: 1, page: 1, pageSize: 500 }));
      }
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: `no user ${EVIL}` } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('user list shows control and bidi characters as escapes', async () => {
    const h = home();
    saveSession(h, { target: url });
    const run = await runCli(['user', 'list', '--user-type', 'student'], {
      home: h,
      env: { ...downEnv, COURSE_CLI_URL: url },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Mallory\\u001b[2J\\u001b[31m\\u202eevil');
    expect(run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('an error message from the server is escaped too', async () => {
    const h = home();
    saveSession(h, { target: url });
    const run = await runCli(['user', 'delete', '7', '--user-type', 'student', '--yes'], {
      home: h,
      env: { ...downEnv, COURSE_CLI_URL: url },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Mallory\\u001b[2J');
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
