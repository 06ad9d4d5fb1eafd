/**
 * A kiosk whose config.json lists public keys installs only packages signed
 * by one of them: an unsigned or foreign-signed package goes to rejected/
 * with the reason in staff words. A disk that fills up while a package is
 * unpacked keeps the package in the inbox for a retry and says "disk full",
 * not "damaged".
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { generateSigningKeys, parsePrivateKey, parsePublicKey } from '../../main/content/signing.js';
import { applyContent } from '../../main/content/store.js';
import { readKioskConfig } from '../../main/kiosk/config.js';
import { createKioskServices, type KioskServices } from '../../main/kiosk/services.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';
import { caption, list, startLive } from './fault-store-fixtures.js';

/** When true, the disk reports almost no free space (what extraction checks before writing). */
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  const statfs = (async (dir: string) =>
    disk.full
      ? { ...(await real.statfs(dir)), bavail: 1, bsize: 4096 }
      : real.statfs(dir)) as typeof real.statfs;
  return { ...real, default: { ...real, statfs }, statfs };
});

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let services: KioskServices | undefined;
let errors: string[];
let offset = 0;
const clock = () => Date.now() + offset;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-signed-');
  content = await makeContent(path.join(work, 'content'), { caption: 'Caption 1', version: '1' });
  store = path.join(work, 'store');
  inbox = path.join(work, 'inbox');
  await mkdir(inbox);
  await applyContent(content, store);
  errors = [];
  offset = 0;
  disk.full = false;
});
afterEach(async () => {
  live?.close();
  live = undefined;
  services?.close();
  services = undefined;
  await cleanup(work);
});

const keys = () => {
  const k = generateSigningKeys();
  return { pem: k.publicKeyPem, priv: parsePrivateKey(k.privateKeyPem), pub: parsePublicKey(k.publicKeyPem) };
};

/** Packs version `n`, signed with `key` when given, into the inbox as `name`. */
async function drop(n: string, name: string, key?: ReturnType<typeof keys>) {
  const dir = await makeContent(path.join(work, `src-${name}`), { caption: `Caption ${n}`, version: n });
  const pkg = await packContent(dir, path.join(work, `out-${name}`) + path.sep, undefined, undefined, {
    signWith: key?.priv,
  });
  await writeFile(path.join(inbox, name), await readFile(pkg.file));
}

describe('a kiosk that takes only signed packages', () => {
  it('refuses unsigned and foreign-signed packages, and installs its museum’s', async () => {
    const museum = keys();
    const stranger = keys();
    live = await startLive(
      { contentDir: content, store, inbox, seedOnly: true, publicKeys: [museum.pub] },
      errors,
    );
    await drop('2', 'unsigned.zip');
    await drop('3', 'foreign.zip', stranger);
    await live.poll();
    await live.poll();
    expect(caption(live)).toBe('Caption 1');
    expect(await list(path.join(inbox, 'rejected'))).toEqual([
      'foreign.zip',
      'foreign.zip.txt',
      'unsigned.zip',
      'unsigned.zip.txt',
    ]);
    expect(await readFile(path.join(inbox, 'rejected', 'unsigned.zip.txt'), 'utf8')).toMatch(
      /installs only signed packages, and the package is not signed: pack it again with your key/,
    );
    expect(errors.join('\n')).toMatch(/foreign\.zip refused: .*does not trust/);

    await drop('4', 'ours.zip', museum);
    await live.poll();
    await live.poll();
    expect(caption(live)).toBe('Caption 4');
  });

  it('reads the keys from config.json, and an unreadable key installs nothing rather than anything', async () => {
    const museum = keys();
    const userData = path.join(work, 'user');
    await mkdir(userData);
    await writeFile(
      path.join(userData, 'config.json'),
      JSON.stringify({ publicKeys: [museum.pem], insight: 'off' }),
    );
    services = await createKioskServices({
      contentDir: content,
      store,
      inbox,
      seedOnly: true,
      userData,
      config: await readKioskConfig(userData),
      pollMs: 0,
      stableMs: 0,
      log: () => {},
    });
    await drop('2', 'unsigned.zip');
    await services.live.poll();
    await services.live.poll();
    expect(services.live.status().inbox?.last).toMatch(/unsigned\.zip refused: .*only signed packages/);
    services.close();

    await writeFile(
      path.join(userData, 'config.json'),
      JSON.stringify({ publicKeys: ['x'.repeat(60)], insight: 'off' }),
    );
    services = await createKioskServices({
      contentDir: content,
      store,
      inbox,
      seedOnly: true,
      userData,
      config: await readKioskConfig(userData),
      pollMs: 0,
      stableMs: 0,
      log: () => {},
    });
    await drop('3', 'later.zip');
    await services.live.poll();
    await services.live.poll();
    expect(services.live.source.current()?.exhibit.chapters[0]?.images[0]?.caption.en).toBe('Caption 1');
    expect(await list(inbox)).toContain('later.zip');
  });
});

describe('a full disk while a package is unpacked', () => {
  it('keeps the package in the inbox, says "disk full", and installs it once there is room', async () => {
    live = await startLive({ contentDir: content, store, inbox, seedOnly: true, now: clock }, errors);
    await drop('2', 'v2.zip');
    disk.full = true;
    await live.poll();
    await live.poll();
    expect(caption(live)).toBe('Caption 1');
    expect(await list(inbox)).toEqual(['v2.zip']);
    expect(live.status().inbox?.last).toMatch(/v2\.zip kept for a retry: disk full/);
    expect(errors.join('\n')).not.toMatch(/damaged|refused/);
    expect(await list(path.join(store, 'staging'))).toEqual([]);

    disk.full = false;
    offset += 61_000;
    const applied = await live.applyFromInbox();
    expect(applied.result).toMatch(/^Installed v2\.zip/);
    expect(caption(live)).toBe('Caption 2');
  });
});
