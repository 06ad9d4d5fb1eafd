/**
 * A second kiosk started on the same user-data folder once rewrote the
 * running kiosk's `current.json` and only then stopped on "Port … is already
 * in use". It now stops before it opens the store, with one line naming the
 * running kiosk. The running kiosk is a real other process here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assembleKiosk } from '../../main/kiosk/assemble.js';
import { readKioskConfig } from '../../main/kiosk/config.js';
import { createKioskServices, type KioskServices } from '../../main/kiosk/services.js';
import { applyContent, readState } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let userData: string;
let store: string;
let content: string;
let other: ChildProcess | undefined;
let services: KioskServices | undefined;

beforeEach(async () => {
  work = await tempDir('vitrine-fault-instance-');
  userData = path.join(work, 'user-data');
  store = path.join(userData, 'content-store');
  await mkdir(userData, { recursive: true });
  content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
});
afterEach(async () => {
  services?.close();
  services = undefined;
  other?.kill();
  other = undefined;
  await cleanup(work);
});

/** What a kiosk writes in its lock: its pid and this boot. */
async function lockOf(pid: number) {
  const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (t) => t.trim(),
    () => undefined,
  );
  const lock = path.join(userData, 'kiosk.lock');
  await mkdir(lock);
  const owner = { pid, boot, bootTime: Date.now() - os.uptime() * 1000, at: new Date().toISOString() };
  await writeFile(path.join(lock, 'owner.json'), JSON.stringify(owner));
}

const start = async () =>
  createKioskServices({
    contentDir: content,
    store,
    seedOnly: false,
    userData,
    config: await readKioskConfig(userData),
    pollMs: 0,
    stableMs: 0,
    log: () => {},
  });

/** A process that looks like a running kiosk to the lock (a Node process running `npm start`'s entry). */
const runningKiosk = () =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', 'main/cli/start-entry.mjs'], {
    stdio: 'ignore',
  });

/** The store's files, byte for byte. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = `${(await stat(file)).mtimeMs} ${await readFile(file, 'base64')}`;
  }
  return out;
}

describe('a second kiosk on the same user-data folder', () => {
  it('stops with one line naming the running kiosk and leaves the store untouched', async () => {
    const src = await makeContent(path.join(work, 'src'), { caption: 'One', version: '1' });
    await applyContent(src, store);
    await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Two', version: '2' }));
    await applyContent(src, store);
    // A damaged pointer: any kiosk that opened the store would rebuild and rewrite it.
    await writeFile(path.join(store, 'current.json'), '{"current": ');
    other = runningKiosk();
    await lockOf(other.pid!);
    const before = await snapshot(store);

    await expect(start()).rejects.toThrow(
      `another Vitrine kiosk is already running on this user-data folder (pid ${other.pid})`,
    );
    expect(await snapshot(store)).toEqual(before);
    expect(await readdir(userData)).toEqual(['content-store', 'kiosk.lock']);
  });

  it('starts when the lock was left by a kiosk that has ended, and frees it when it closes', async () => {
    other = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => other!.once('exit', resolve));
    await lockOf(other.pid!);
    services = await start();
    expect(services.live.source.current()?.exhibit.chapters[0]?.images[0]?.caption.en).toBe('Seed');
    const owner = JSON.parse(await readFile(path.join(userData, 'kiosk.lock', 'owner.json'), 'utf8')) as {
      pid: number;
    };
    expect(owner.pid).toBe(process.pid);
    expect((await readState(store)).current).toBeTruthy();
    services.close();
    services = undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(stat(path.join(userData, 'kiosk.lock'))).rejects.toThrow(/ENOENT/);
  });

  it('frees it when the kiosk closes the way its hosts close it, through the assembly', async () => {
    const kiosk = await assembleKiosk({
      contentDir: content,
      live: { userData, env: { VITRINE_CONTENT_STORE: store }, seedOnly: false, tuning: { pollMs: 0 } },
      log: () => {},
    });
    expect(existsSync(path.join(userData, 'kiosk.lock', 'owner.json'))).toBe(true);
    kiosk.close();
    kiosk.close();
    expect(existsSync(path.join(userData, 'kiosk.lock'))).toBe(false);
    // And the next kiosk starts at once.
    services = await start();
  });

  it.runIf(process.platform === 'linux')(
    'starts when the pid in the lock now belongs to an unrelated program (a pid reused after a power cut)',
    async () => {
      other = spawn('sleep', ['30'], { stdio: 'ignore' });
      await lockOf(other.pid!);
      services = await start();
      const owner = JSON.parse(await readFile(path.join(userData, 'kiosk.lock', 'owner.json'), 'utf8')) as {
        pid: number;
      };
      expect(owner.pid).toBe(process.pid);
      // Broken by renaming it away first: nothing is left beside the new lock.
      expect((await readdir(userData)).filter((name) => name.startsWith('kiosk.lock'))).toEqual([
        'kiosk.lock',
      ]);
    },
  );

  it('does not hang on a lock whose owner note is a FIFO', { timeout: 5000 }, async () => {
    const lock = path.join(userData, 'kiosk.lock');
    await mkdir(lock);
    execFileSync('mkfifo', [path.join(lock, 'owner.json')]);
    // A nameless lock is young while its holder writes the note: make it an old one, left by a crash.
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    services = await start();
    expect(existsSync(path.join(lock, 'owner.json'))).toBe(true);
  });
});

describe('the instance lock npm start takes before it binds its port', () => {
  it('loads nothing but Node itself and the content errors, so the port is not held back by the store', async () => {
    const importsOf = async (file: string) =>
      [...(await readFile(file, 'utf8')).matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
    const dir = path.resolve(import.meta.dirname, '..', '..', 'main', 'content');
    const lockImports = await importsOf(path.join(dir, 'instance-lock.ts'));
    expect(lockImports.filter((spec) => !spec?.startsWith('node:'))).toEqual([
      '../common/safe-read.js',
      './errors.js',
    ]);
    expect(await importsOf(path.join(dir, 'errors.ts'))).toEqual([]);
    const readImports = await importsOf(path.join(dir, '..', 'common', 'safe-read.ts'));
    expect(readImports.filter((spec) => !spec?.startsWith('node:'))).toEqual([]);
  });
});
