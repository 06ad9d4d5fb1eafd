/**
 * Staff sign-in and the staff routes: only a hash of the PIN on disk, wrong
 * PINs counted and locked out, sessions that lock themselves, and routes that
 * refuse anyone without a token or from another origin.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleKiosk, type KioskAssembly } from '../../main/kiosk/assemble.js';
import type { KioskServices } from '../../main/kiosk/services.js';
import { createStaffAuth } from '../../main/staff/auth.js';
import { DEFAULT_PIN, hashPin, verifyPin } from '../../main/staff/pin.js';
import { ErrorRing } from '../../main/staff/errors.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let offset = 0;
const clock = () => 1_700_000_000_000 + offset;

beforeEach(async () => {
  work = await tempDir('vitrine-staff-');
  offset = 0;
});
afterEach(() => cleanup(work));

describe('staff PIN', () => {
  it('hashes with a fresh salt and verifies only the right PIN', async () => {
    const a = await hashPin('2468');
    const b = await hashPin('2468');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(await verifyPin('2468', a)).toBe(true);
    expect(await verifyPin('2469', a)).toBe(false);
    expect(await verifyPin('2468', 'scrypt$1$1$1$zz$zz')).toBe(false);
  });

  it('refuses new PINs anyone at the screen would guess first, and says why in staff words', async () => {
    const auth = createStaffAuth({ file: path.join(work, 'staff.json'), now: clock });
    const weak: [string, RegExp][] = [
      ['0000', /one digit repeated/],
      ['777777', /one digit repeated/],
      ['1234', /counting up or down/],
      ['0123', /counting up or down/],
      ['9876', /counting up or down/],
      ['3456789', /counting up or down/],
      [DEFAULT_PIN, /first-run/],
      ['123', /4 to 12 digits/],
    ];
    for (const [next, why] of weak) {
      const result = await auth.changePin(DEFAULT_PIN, next);
      expect(result, next).toMatchObject({ ok: false, reason: 'invalid' });
      expect(result.ok ? '' : result.message, next).toMatch(why);
    }
    // Refusing a weak choice is not a wrong PIN: no tries are used up.
    expect(await auth.changePin(DEFAULT_PIN, '2468')).toEqual({ ok: true });
  });

  it('opens with the default PIN until staff change it; then only the hash is on disk', async () => {
    const file = path.join(work, 'staff.json');
    const auth = createStaffAuth({ file, now: clock });
    const first = await auth.login(DEFAULT_PIN);
    expect(first).toMatchObject({ ok: true, defaultPin: true });
    if (!first.ok) throw new Error('sign-in failed');
    // A first-run session may only set a new PIN: any route that asks check() refuses it.
    expect(auth.session(first.token)).toBe('first-run');
    expect(auth.check(first.token)).toBe(false);

    expect(await auth.changePin(DEFAULT_PIN, DEFAULT_PIN)).toMatchObject({ ok: false });
    expect(await auth.changePin('0000', '7351')).toMatchObject({ ok: false });
    expect(await auth.changePin(DEFAULT_PIN, '73a1')).toMatchObject({ ok: false });
    expect(await auth.changePin(DEFAULT_PIN, '7351')).toEqual({ ok: true });
    expect(auth.check(first.token)).toBe(true);

    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('7351');
    expect(JSON.parse(text).pinHash).toMatch(/^scrypt\$/);
    expect(await auth.usingDefaultPin()).toBe(false);
    expect(await auth.login(DEFAULT_PIN)).toMatchObject({ ok: false, reason: 'wrong' });
    expect(await auth.login('7351')).toMatchObject({ ok: true, defaultPin: false });
  });

  it('locks sign-in after five wrong PINs, even for the right one, and across restarts', async () => {
    const file = path.join(work, 'staff.json');
    const auth = createStaffAuth({ file, now: clock, lockoutMs: 300_000 });
    for (let i = 4; i >= 1; i--) {
      expect(await auth.login('0000')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: i });
    }
    expect(await auth.login('0000')).toMatchObject({ ok: false, reason: 'locked' });
    expect(await auth.login(DEFAULT_PIN)).toMatchObject({ ok: false, reason: 'locked' });
    const restarted = createStaffAuth({ file, now: clock });
    expect(await restarted.login(DEFAULT_PIN)).toMatchObject({ ok: false, reason: 'locked' });
    offset = 301_000;
    expect(await restarted.login(DEFAULT_PIN)).toMatchObject({ ok: true });
  });

  it('ends a session a minute after the last staff action; status polls do not keep it open', async () => {
    const auth = createStaffAuth({ file: path.join(work, 'staff.json'), now: clock });
    const r = await auth.login(DEFAULT_PIN);
    if (!r.ok) throw new Error('sign-in failed');
    offset = 50_000;
    expect(auth.session(r.token, false)).toBe('first-run');
    offset = 59_000;
    expect(auth.session(r.token, true)).toBe('first-run');
    offset = 59_000 + 59_000;
    expect(auth.session(r.token, false)).toBe('first-run');
    offset = 59_000 + 61_000;
    expect(auth.session(r.token, false)).toBe('none');
    expect(auth.session(r.token, true)).toBe('none');
  });
});

describe('error ring', () => {
  it('keeps the newest entries only and folds repeats', () => {
    const ring = new ErrorRing(3, clock);
    ring.add('renderer', 'a');
    ring.add('renderer', 'a');
    ring.add('renderer', 'b');
    ring.add('renderer', 'c');
    ring.add('renderer', 'd');
    expect(ring.list().map((e) => `${e.message}${e.count}`)).toEqual(['d1', 'c1', 'b1']);
  });
});

describe('staff routes', () => {
  let kiosk: KioskAssembly;
  let services: KioskServices;
  let handler: (req: Request) => Promise<Response>;
  const origin = 'http://127.0.0.1:4173';
  const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
    handler(
      new Request(`${origin}${p}`, {
        method: 'POST',
        headers: { origin, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    );
  const get = (p: string, headers: Record<string, string> = {}) =>
    handler(new Request(`${origin}${p}`, { headers: { 'sec-fetch-site': 'same-origin', ...headers } }));

  beforeEach(async () => {
    const content = await makeContent(path.join(work, 'content'));
    await mkdir(path.join(work, 'inbox'));
    let restarted = 0;
    const assembled = await assembleKiosk({
      contentDir: content,
      rendererDir: path.join(work, 'none'),
      live: {
        userData: path.join(work, 'user'),
        env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
        inboxFlag: path.join(work, 'inbox'),
        actions: { restart: () => void restarted++ },
        tuning: { pollMs: 0 },
      },
      log: () => {},
    });
    kiosk = assembled;
    services = assembled.services;
    handler = assembled.handler;
  });
  afterEach(() => kiosk.close());

  it('refuses every action without a token', async () => {
    for (const route of ['apply-inbox', 'rollback', 'reload', 'restart', 'exit', 'pin', 'keepalive']) {
      const res = await post(`/api/staff/${route}`, {});
      expect(res.status, route).toBe(401);
    }
    expect((await get('/api/staff/status')).status).toBe(401);
    expect((await get('/api/staff/status', { authorization: `Bearer ${'0'.repeat(64)}` })).status).toBe(401);
  });

  it('refuses requests from another origin, even with the right PIN', async () => {
    const res = await post(
      '/api/staff/session',
      { pin: DEFAULT_PIN },
      { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    expect(res.status).toBe(403);
    const noHeaders = await handler(
      new Request(`${origin}/api/staff/session`, {
        method: 'POST',
        body: JSON.stringify({ pin: DEFAULT_PIN }),
      }),
    );
    expect(noHeaders.status).toBe(403);
  });

  it('gives a token for the PIN and shows the version, its origin, errors and uptime', async () => {
    const bad = await post('/api/staff/session', { pin: '1111' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ attemptsLeft: 4 });

    const first = await post('/api/staff/session', { pin: DEFAULT_PIN });
    expect(first.status).toBe(200);
    const firstRun = (await first.json()) as { token: string; defaultPin: boolean };
    expect(firstRun.defaultPin).toBe(true);
    const auth = { authorization: `Bearer ${firstRun.token}` };
    const weak = await post('/api/staff/pin', { current: DEFAULT_PIN, next: '0000' }, auth);
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: string }).error).toMatch(/too easy to guess/);
    expect((await post('/api/staff/pin', { current: DEFAULT_PIN, next: '7351' }, auth)).status).toBe(200);

    const ok = await post('/api/staff/session', { pin: '7351' });
    expect(ok.status).toBe(200);
    const { token, defaultPin } = (await ok.json()) as { token: string; defaultPin: boolean };
    expect(defaultPin).toBe(false);

    await post('/api/log', { level: 'error', message: 'Image failed to decode' });
    const res = await get('/api/staff/status', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const status = (await res.json()) as {
      content: { version: string; installedFrom: string; installedAt: string };
      errors: { message: string }[];
      uptimeSeconds: number;
      actions: { restart: boolean; exit: boolean };
    };
    expect(status.content.version).toBe(services.live.source.current()?.version);
    expect(status.content.installedFrom).toContain('content');
    expect(status.errors[0]?.message).toContain('Image failed to decode');
    expect(status.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.actions).toEqual({ restart: true, exit: false });

    // Leaving kiosk mode is off unless config.json allows it.
    expect((await post('/api/staff/exit', {}, { authorization: `Bearer ${token}` })).status).toBe(403);
    expect((await post('/api/staff/restart', {}, { authorization: `Bearer ${token}` })).status).toBe(202);
    // Restarting signs staff out.
    expect((await get('/api/staff/status', { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('rate limits a flood of requests', async () => {
    let last = 0;
    for (let i = 0; i < 130; i++) last = (await get('/api/staff/status')).status;
    expect(last).toBe(429);
  });
});
