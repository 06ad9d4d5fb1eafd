/**
 * Fault: the disk is full (or the user-data folder read-only) when the kiosk
 * saves the staff file. Wrong PINs, at sign-in and at a PIN change, must still
 * be answered as wrong and counted, the lockout must still hold, and a new PIN
 * that could not be saved must not take effect. The write fails where every
 * save of the staff file goes through: the atomic write.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStaffAuth } from '../../main/staff/auth.js';
import { DEFAULT_PIN } from '../../main/staff/pin.js';
import { cleanup, tempDir } from './content-fixtures.js';
import { startStaffKiosk, type StaffKiosk } from './fault-staff-fixtures.js';

const disk = vi.hoisted(() => ({ full: false, failed: 0 }));
vi.mock('../../main/common/atomic-write.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/common/atomic-write.js')>();
  return {
    ...real,
    writeFileAtomic: async (...args: Parameters<typeof real.writeFileAtomic>) => {
      if (disk.full) {
        disk.failed++;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real.writeFileAtomic(...args);
    },
  };
});

let work: string;
let kiosk: StaffKiosk | undefined;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-staff-');
  disk.full = false;
  disk.failed = 0;
});
afterEach(async () => {
  kiosk?.close();
  kiosk = undefined;
  await cleanup(work);
});

/** A kiosk whose PIN is 7351, set while the disk still had room. */
async function kioskWithPin(): Promise<StaffKiosk> {
  const k = await startStaffKiosk(work);
  const token = await k.signIn(DEFAULT_PIN);
  expect((await k.call('pin', { token, body: { current: DEFAULT_PIN, next: '7351' } })).status).toBe(200);
  return k;
}

describe('staff sign-in on a full disk', () => {
  it('answers wrong PINs as wrong, counts them, and locks out after five, the right PIN too', async () => {
    kiosk = await kioskWithPin();
    disk.full = true;
    for (let left = 4; left >= 1; left--) {
      const res = await kiosk.call('session', { body: { pin: '0000' } });
      expect(res.status).toBe(401);
      expect(res.body.attemptsLeft).toBe(left);
    }
    expect((await kiosk.call('session', { body: { pin: '0000' } })).status).toBe(429);
    expect((await kiosk.call('session', { body: { pin: '7351' } })).status).toBe(429);
    expect(disk.failed).toBeGreaterThan(0);
    expect(kiosk.logged.some((l) => l.includes('Could not save the staff sign-in state'))).toBe(true);
  });

  it('counts wrong current PINs at a PIN change; the fifth locks out and ends the session', async () => {
    kiosk = await kioskWithPin();
    const token = await kiosk.signIn('7351');
    disk.full = true;
    for (let left = 4; left >= 1; left--) {
      const res = await kiosk.call('pin', { token, body: { current: '0000', next: '2468' } });
      expect(res.status).toBe(400);
      expect(res.body.attemptsLeft).toBe(left);
    }
    expect((await kiosk.call('pin', { token, body: { current: '0000', next: '2468' } })).status).toBe(429);
    expect((await kiosk.call('status', { token })).status).toBe(401);
    expect((await kiosk.call('session', { body: { pin: '7351' } })).status).toBe(429);
  });

  it('keeps the old PIN when the new one cannot be saved, and says so', async () => {
    kiosk = await kioskWithPin();
    const token = await kiosk.signIn('7351');
    disk.full = true;
    const res = await kiosk.call('pin', { token, body: { current: '7351', next: '2468' } });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/could not be saved.*old PIN still applies/);
    disk.full = false;
    expect((await kiosk.call('session', { body: { pin: '2468' } })).status).toBe(401);
    expect((await kiosk.call('session', { body: { pin: '7351' } })).status).toBe(200);
  });

  it('keeps a lockout across a restart, with its end time, once the disk has room again', async () => {
    const file = `${work}/user/staff.json`;
    let at = 1_700_000_000_000;
    const auth = createStaffAuth({ file, now: () => at, lockoutMs: 300_000, log: () => {} });
    disk.full = true;
    for (let i = 0; i < 2; i++) await auth.login('0000');
    disk.full = false;
    for (let i = 0; i < 3; i++) await auth.login('0000');
    const restarted = createStaffAuth({ file, now: () => at, lockoutMs: 300_000, log: () => {} });
    expect(await restarted.login(DEFAULT_PIN)).toEqual({
      ok: false,
      reason: 'locked',
      retryAfterMs: 300_000,
    });
    at += 301_000;
    expect(await restarted.login(DEFAULT_PIN)).toMatchObject({ ok: true });
  });
});
