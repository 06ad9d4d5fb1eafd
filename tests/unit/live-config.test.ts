/** Where a kiosk finds its inbox: the flag, then VITRINE_INBOX, then config.json in the user-data folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../../main/kiosk/flags.js';
import { resolveInboxDir } from '../../main/staff/kiosk.js';
import { cleanup, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir('vitrine-live-config-');
});
afterEach(() => cleanup(work));

describe('inbox location', () => {
  it('takes the flag first, then the environment, then config.json, else none', async () => {
    const env = { XDG_CONFIG_HOME: work, HOME: work } as NodeJS.ProcessEnv;
    expect(await resolveInboxDir(undefined, env)).toBeUndefined();

    await mkdir(path.join(work, 'Vitrine'), { recursive: true });
    await writeFile(path.join(work, 'Vitrine', 'config.json'), JSON.stringify({ inbox: '/mnt/share/inbox' }));
    if (process.platform === 'linux') expect(await resolveInboxDir(undefined, env)).toBe('/mnt/share/inbox');

    expect(await resolveInboxDir(undefined, { ...env, VITRINE_INBOX: '/media/usb/in' })).toBe(
      '/media/usb/in',
    );
    expect(await resolveInboxDir('/flag/in', { ...env, VITRINE_INBOX: '/media/usb/in' })).toBe('/flag/in');
  });

  it('npm start and preview accept --inbox DIR', () => {
    const r = parseArgs(['--inbox', 'usb/inbox'], {}, '/kiosk');
    expect(r.ok && r.options.inboxDir).toBe(path.resolve('/kiosk', 'usb/inbox'));
    const none = parseArgs([], {}, '/kiosk');
    expect(none.ok && none.options.inboxDir).toBeUndefined();
  });
});
