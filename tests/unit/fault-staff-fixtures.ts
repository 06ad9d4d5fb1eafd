/**
 * A kiosk's staff routes for the staff fault tests, assembled by the
 * composition root every host uses (`assembleKiosk`), with a user-data
 * folder the test controls (`staff.json`, `config.json`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { assembleKiosk } from '../../main/kiosk/assemble.js';
import type { KioskServices } from '../../main/kiosk/services.js';
import { makeContent } from './content-fixtures.js';

const origin = 'http://127.0.0.1:4173';

/** A started kiosk's staff side, and what its host actions were asked to do. */
export interface StaffKiosk {
  services: KioskServices;
  userData: string;
  staffFile: string;
  /** Lines the kiosk logged. */
  logged: string[];
  /** Host actions run so far (`restart`, `exit`). */
  ran: string[];
  /** Calls a staff route the way the panel does; `token` signs it. */
  call(
    route: string,
    init?: { method?: string; body?: unknown; token?: string },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Signs in with `pin`; throws unless it opens. */
  signIn(pin: string): Promise<string>;
  close(): void;
}

/** Starts a kiosk in `work`; `staffJson`/`configJson` are written to its user-data folder first. */
export async function startStaffKiosk(
  work: string,
  files: { staffJson?: string; configJson?: string } = {},
): Promise<StaffKiosk> {
  const userData = path.join(work, 'user');
  await mkdir(userData, { recursive: true });
  const staffFile = path.join(userData, 'staff.json');
  if (files.staffJson !== undefined) await writeFile(staffFile, files.staffJson);
  if (files.configJson !== undefined) await writeFile(path.join(userData, 'config.json'), files.configJson);
  const content = await makeContent(path.join(work, 'content'));
  const logged: string[] = [];
  const ran: string[] = [];
  const kiosk = await assembleKiosk({
    contentDir: content,
    rendererDir: path.join(work, 'none'),
    live: {
      userData,
      env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
      actions: { restart: () => void ran.push('restart'), exit: () => void ran.push('exit') },
      tuning: { pollMs: 0 },
    },
    log: (line) => logged.push(line),
  });
  const { services, handler } = kiosk;
  const call: StaffKiosk['call'] = async (route, init = {}) => {
    const res = await handler(
      new Request(`${origin}/api/staff/${route}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          origin,
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      }),
    );
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    services,
    userData,
    staffFile,
    logged,
    ran,
    call,
    async signIn(pin) {
      const res = await call('session', { body: { pin } });
      if (res.status !== 200)
        throw new Error(`sign-in with ${pin}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    close: () => kiosk.close(),
  };
}
