/**
 * Where a kiosk finds its content store and inbox: the flags, then the
 * environment, then `config.json` in the user-data folder, read in one place
 * (main/kiosk/config.ts) by every host and the content CLI. A broken
 * config.json never stops a kiosk.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readKioskConfig,
  resolveKioskFolders,
  resolveStoreDir,
  type ConfigNote,
} from '../../main/kiosk/config.js';
import { parseArgs } from '../../main/kiosk/flags.js';
import { userDataDir } from '../../main/kiosk/paths.js';
import { cleanup, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir('vitrine-live-config-');
});
afterEach(() => cleanup(work));

async function writeConfig(text: string): Promise<void> {
  await writeFile(path.join(work, 'config.json'), text);
}

async function read(): Promise<{ config: unknown; notes: ConfigNote[] }> {
  const notes: ConfigNote[] = [];
  const config = await readKioskConfig(work, (n) => notes.push(n));
  return { config, notes };
}

describe('the content store and inbox', () => {
  it('default to a store in the user data and no inbox', async () => {
    expect(resolveKioskFolders({ userData: work, config: await readKioskConfig(work), env: {} })).toEqual({
      store: path.join(work, 'content-store'),
      inbox: undefined,
    });
  });

  it('come from config.json, relative paths against the user data', async () => {
    await writeConfig(JSON.stringify({ contentStore: 'store-here', inbox: '/mnt/share/vitrine' }));
    expect(resolveKioskFolders({ userData: work, config: await readKioskConfig(work), env: {} })).toEqual({
      store: path.join(work, 'store-here'),
      inbox: '/mnt/share/vitrine',
    });
  });

  it('take the flag first, then the environment, then config.json', async () => {
    await writeConfig(JSON.stringify({ contentStore: '/srv/config-store', inbox: '/mnt/share' }));
    const env = { VITRINE_CONTENT_STORE: '/var/vitrine/store', VITRINE_INBOX: '/media/usb' };
    expect(resolveKioskFolders({ userData: work, config: await readKioskConfig(work), env })).toEqual({
      store: '/var/vitrine/store',
      inbox: '/media/usb',
    });
    expect(
      resolveKioskFolders({
        userData: work,
        config: await readKioskConfig(work),
        env,
        storeFlag: '/x/flag',
        inboxFlag: '/media/flag',
      }),
    ).toEqual({ store: '/x/flag', inbox: '/media/flag' });
    // A blank variable is not a setting.
    expect(
      resolveKioskFolders({
        userData: work,
        config: await readKioskConfig(work),
        env: { VITRINE_INBOX: '  ' },
      }),
    ).toEqual({
      store: '/srv/config-store',
      inbox: '/mnt/share',
    });
  });

  it("are the content CLI's too: it finds the store in the operating system's user-data folder", async () => {
    const env = { XDG_CONFIG_HOME: work };
    expect(userDataDir(env, 'linux')).toBe(path.join(work, 'Vitrine'));
    expect(userDataDir({ APPDATA: 'C:\\Users\\k\\AppData\\Roaming' }, 'win32')).toBe(
      path.join('C:\\Users\\k\\AppData\\Roaming', 'Vitrine'),
    );
    if (process.platform !== 'linux') return;
    expect(resolveStoreDir(await readKioskConfig(userDataDir(env)), undefined, env)).toBe(
      path.join(work, 'Vitrine', 'content-store'),
    );
    await mkdir(path.join(work, 'Vitrine'));
    await writeFile(
      path.join(work, 'Vitrine', 'config.json'),
      JSON.stringify({ contentStore: '/srv/kiosk' }),
    );
    expect(resolveStoreDir(await readKioskConfig(userDataDir(env)), undefined, env)).toBe('/srv/kiosk');
    expect(resolveStoreDir(await readKioskConfig(userDataDir(env)), '/x/flag', env)).toBe('/x/flag');
  });
});

describe('config.json', () => {
  it('may be missing: the defaults apply, and the reader says so', async () => {
    const { config, notes } = await read();
    expect(config).toEqual({});
    expect(notes).toEqual([expect.objectContaining({ kind: 'missing' })]);
  });

  it('that is empty, not JSON or not an object gives the defaults and a note, never an exception', async () => {
    for (const [text, kind] of [
      ['', 'empty'],
      ['  \n', 'empty'],
      ['{ "inbox": ', 'invalid'],
      ['["/mnt/share"]', 'invalid'],
      ['null', 'invalid'],
    ] as const) {
      await writeConfig(text);
      const { config, notes } = await read();
      expect(config, JSON.stringify(text)).toEqual({});
      expect(notes.map((n) => n.kind)).toEqual([kind]);
      expect(notes[0]!.message).toContain(path.join(work, 'config.json'));
    }
  });

  it('that cannot be read (a folder in its place) gives the defaults', async () => {
    await mkdir(path.join(work, 'config.json'));
    const { config, notes } = await read();
    expect(config).toEqual({});
    expect(notes.map((n) => n.kind)).toEqual(['unreadable']);
    expect(resolveKioskFolders({ userData: work, config: await readKioskConfig(work), env: {} }).store).toBe(
      path.join(work, 'content-store'),
    );
  });

  it('keeps the valid settings when one is wrong, and names the wrong one', async () => {
    await writeConfig(JSON.stringify({ contentStore: 42, inbox: '/mnt/share', inbx: '/typo' }));
    const { config, notes } = await read();
    expect(config).toEqual({ inbox: '/mnt/share' });
    const text = notes.map((n) => n.message).join('\n');
    expect(text).toMatch(/contentStore/);
    expect(text).toMatch(/inbx/);
    expect(notes.every((n) => n.kind === 'invalid')).toBe(true);
  });
});

describe('flags', () => {
  it('npm start and preview accept --inbox DIR', () => {
    const r = parseArgs(['--inbox', 'usb/inbox'], {}, '/kiosk');
    expect(r.ok && r.options.inboxDir).toBe(path.resolve('/kiosk', 'usb/inbox'));
    const none = parseArgs([], {}, '/kiosk');
    expect(none.ok && none.options.inboxDir).toBeUndefined();
  });
});
