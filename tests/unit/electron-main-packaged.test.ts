/**
 * The entry point of an installed kiosk, against a fake `electron` module:
 * started with a remote-debugging switch it refuses (exit 2, logged, no
 * window, no content served), whatever else is on its command line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const fake = vi.hoisted(() => {
  const { EventEmitter: Emitter } = require('node:events') as typeof import('node:events');
  const calls: string[] = [];
  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    commandLine: { appendSwitch: (k: string) => calls.push(`switch ${k}`) },
    setName: (n: string) => calls.push(`setName ${n}`),
    getPath: (): string => '',
    requestSingleInstanceLock: () => (calls.push('single-instance'), true),
    whenReady: () => new Promise<void>(() => {}),
    enableSandbox: () => calls.push('enable-sandbox'),
    quit: () => calls.push('quit'),
    exit: (c: number) => calls.push(`exit ${c}`),
    relaunch: () => calls.push('relaunch'),
  });
  const module = {
    app,
    protocol: {
      registerSchemesAsPrivileged: () => calls.push('register-scheme'),
      handle: () => calls.push('protocol.handle'),
    },
    session: { defaultSession: {} },
    BrowserWindow: class {
      constructor() {
        calls.push('BrowserWindow');
      }
    },
  };
  return { calls, module };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const userData = mkdtempSync(path.join(tmpdir(), 'vitrine-main-packaged-'));
fake.module.app.getPath = () => userData;

describe('main.ts, installed', () => {
  afterAll(() => rmSync(userData, { recursive: true, force: true }));

  it('refuses to start with --remote-debugging-port: exit 2, logged, nothing set up', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    process.argv.push('--remote-debugging-port=9222');
    let written: string[] = [];
    try {
      await import('../../main/electron/main.js');
      written = stderr.mock.calls.map((c) => String(c[0]));
    } finally {
      process.argv.pop();
      exit.mockRestore();
      stderr.mockRestore();
    }
    expect(fake.calls).toContain('exit 2');
    expect(written.join('')).toMatch(/refusing to start: --remote-debugging-port/);
    for (const step of ['single-instance', 'register-scheme', 'enable-sandbox', 'BrowserWindow'])
      expect(fake.calls).not.toContain(step);
    const log = readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8');
    expect(JSON.parse(log.trim())).toMatchObject({ event: 'refused', switches: ['--remote-debugging-port'] });
  });
});
