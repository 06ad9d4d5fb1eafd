/**
 * Fault: `staff.json` is empty, cut short, not JSON or not a staff file (a
 * disk error, a bad copy, a hand edit). The kiosk must not fall back to the
 * first-run PIN nor forget a lockout: every sign-in is refused with a clear
 * message and the log says where the file is and how to reset it. Only a
 * missing file means a fresh kiosk.
 */
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStaffAuth } from '../../main/staff/auth.js';
import { DEFAULT_PIN, hashPin } from '../../main/staff/pin.js';
import { cleanup, tempDir } from './content-fixtures.js';
import { startStaffKiosk, type StaffKiosk } from './fault-staff-fixtures.js';

let work: string;
let kiosk: StaffKiosk | undefined;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-staff-');
});
afterEach(async () => {
  kiosk?.close();
  kiosk = undefined;
  await cleanup(work);
});

const damaged: Record<string, string> = {
  empty: '',
  blank: '  \n',
  truncated: '{\n  "pinHash": "scrypt$16384$8$1$ab',
  'not JSON': 'PIN=1945',
  null: 'null',
  'a list': '[]',
  'a hash that is not one': '{ "pinHash": 1945 }',
  'a negative lockout': '{ "lockedUntil": -1 }',
  'a failure count that is text': '{ "failures": "0" }',
};

describe('a damaged staff file', () => {
  for (const [name, text] of Object.entries(damaged)) {
    it(`refuses every sign-in, the first-run PIN included, when it is ${name}`, async () => {
      kiosk = await startStaffKiosk(work, { staffJson: text });
      for (const pin of [DEFAULT_PIN, '0000']) {
        const res = await kiosk.call('session', { body: { pin } });
        expect(res.status, pin).toBe(503);
        expect(res.body.error).toBe('The staff file is damaged; see the log');
      }
      const line = kiosk.logged.find((l) => l.includes('staff file'));
      expect(line).toContain(kiosk.staffFile);
      expect(line).toMatch(/delete that file/);
    });
  }

  it('keeps a lockout closed when the file is cut short mid-lockout, and opens after a deliberate delete', async () => {
    kiosk = await startStaffKiosk(work, {
      staffJson: JSON.stringify({
        pinHash: await hashPin('7351'),
        failures: 0,
        lockedUntil: Date.now() + 3e5,
      }).slice(0, 60),
    });
    expect((await kiosk.call('session', { body: { pin: '7351' } })).status).toBe(503);
    expect((await kiosk.call('session', { body: { pin: DEFAULT_PIN } })).status).toBe(503);
    // The documented reset: delete the file on purpose; the first-run PIN then sets a new one.
    await rm(kiosk.staffFile);
    const res = await kiosk.call('session', { body: { pin: DEFAULT_PIN } });
    expect(res.status).toBe(200);
    expect(res.body.defaultPin).toBe(true);
  });

  it('a missing file on first run is the first-run PIN', async () => {
    const auth = createStaffAuth({ file: `${work}/user/staff.json`, log: () => {} });
    expect(await auth.login(DEFAULT_PIN)).toMatchObject({ ok: true, defaultPin: true });
  });
});
