/**
 * Fault: the first-run staff PIN is printed in the guide. Signing in with it
 * must allow nothing but setting a new PIN, and leaving kiosk mode stays off
 * until a technician's config.json allows it, whatever the PIN.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PIN } from '../../main/staff/pin.js';
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

describe('the first-run PIN', () => {
  it('opens only the PIN change: every other staff action answers 403 until a new PIN is set', async () => {
    kiosk = await startStaffKiosk(work);
    const token = await kiosk.signIn(DEFAULT_PIN);

    for (const [route, method] of [
      ['status', 'GET'],
      ['apply-inbox', 'POST'],
      ['rollback', 'POST'],
      ['reload', 'POST'],
      ['restart', 'POST'],
      ['exit', 'POST'],
    ] as const) {
      const res = await kiosk.call(route, { method, token });
      expect(res.status, route).toBe(403);
      expect(res.body.error, route).toMatch(/Change the PIN first/);
    }
    expect(kiosk.ran).toEqual([]);
    // Routes beyond the staff panel's own (the visit counts and their export) refuse it too.
    expect([401, 403]).toContain((await kiosk.call('visits?days=7', { token })).status);
    expect([401, 403]).toContain(
      (await kiosk.call('visits/export', { token, body: { to: 'inbox' } })).status,
    );

    // The session itself stays open while staff choose the new PIN.
    expect((await kiosk.call('keepalive', { method: 'POST', token })).status).toBe(204);
    const changed = await kiosk.call('pin', { token, body: { current: DEFAULT_PIN, next: '7351' } });
    expect(changed.status).toBe(200);

    const status = await kiosk.call('status', { token });
    expect(status.status).toBe(200);
    expect(status.body.defaultPin).toBe(false);
    expect((await kiosk.call('session', { body: { pin: DEFAULT_PIN } })).status).toBe(401);
  });

  it('cannot exit kiosk mode, nor can any PIN, unless config.json says allowExit', async () => {
    kiosk = await startStaffKiosk(work);
    let token = await kiosk.signIn(DEFAULT_PIN);
    await kiosk.call('pin', { token, body: { current: DEFAULT_PIN, next: '7351' } });
    token = await kiosk.signIn('7351');
    const status = await kiosk.call('status', { token });
    expect(status.body.actions).toEqual({ restart: true, exit: false });
    const exit = await kiosk.call('exit', { method: 'POST', token });
    expect(exit.status).toBe(403);
    expect(exit.body.error).toMatch(/allowExit/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(kiosk.ran).toEqual([]);
    kiosk.close();

    // The same kiosk once its technician allowed it.
    kiosk = await startStaffKiosk(work, { configJson: '{ "allowExit": true }' });
    token = await kiosk.signIn('7351');
    expect((await kiosk.call('status', { token })).body.actions).toEqual({ restart: true, exit: true });
    expect((await kiosk.call('exit', { method: 'POST', token })).status).toBe(202);
    await expect.poll(() => kiosk!.ran).toEqual(['exit']);
  });
});
