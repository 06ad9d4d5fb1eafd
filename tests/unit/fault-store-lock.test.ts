/**
 * An apply interrupted by kill -9: its lock names a process that is gone (or
 * an earlier boot) and is broken at once, its half-unpacked folders are
 * removed at start, staff are told what happened, and "Apply from inbox" says
 * what it really did.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState, rollbackContent } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { caption, list, startLive } from './fault-store-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-lock-');
  content = await makeContent(path.join(work, 'content'), { caption: 'One', version: '1' });
  store = path.join(work, 'store');
  inbox = path.join(work, 'inbox');
  await mkdir(inbox);
  errors = [];
});
afterEach(async () => {
  live?.close();
  live = undefined;
  await cleanup(work);
});

const start = async () => {
  live = await startLive({ contentDir: content, store, inbox, seedOnly: true }, errors);
  return live;
};

/** The id of a process that has ended. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

const boot = async () => ({
  boot:
    process.platform === 'linux'
      ? (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim()
      : undefined,
  bootTime: Date.now() - os.uptime() * 1000,
});

/** What kill -9 in the middle of an apply leaves: the lock, and a half-unpacked folder. */
async function interruptedApply(owner: Record<string, unknown>) {
  await mkdir(path.join(store, 'lock'), { recursive: true });
  await writeFile(path.join(store, 'lock', 'owner.json'), JSON.stringify(owner));
  const half = path.join(store, 'staging', '1767000000000-deadbeef', 'media');
  await mkdir(half, { recursive: true });
  await writeFile(path.join(half, 'big.tif'), Buffer.alloc(1024 * 1024));
}

/** A package of version `n`, dropped into the inbox and aged so it is taken at once. */
async function drop(n: string) {
  const dir = await makeContent(path.join(work, `src-${n}`), { caption: `Caption ${n}`, version: n });
  const pkg = await packContent(dir, path.join(work, 'out') + path.sep);
  await writeFile(path.join(inbox, `v${n}.zip`), await readFile(pkg.file));
  return pkg;
}

describe('an interrupted apply', () => {
  it('is cleaned up at start: lock broken, half-unpacked files removed, staff told when', async () => {
    await applyContent(content, store);
    const at = new Date(2026, 0, 5, 10, 42).toISOString();
    await interruptedApply({ pid: deadPid(), ...(await boot()), at });

    const l = await start();
    expect(await list(path.join(store, 'staging'))).toEqual([]);
    expect(await list(store)).not.toContain('lock');
    expect(l.status().report?.lines.join('\n')).toMatch(
      /An apply was interrupted at 10:42; its files were removed/,
    );
    expect(errors.join('\n')).toMatch(/interrupted at 10:42/);

    const pkg = await drop('2');
    await l.poll();
    const applied = await l.applyFromInbox();
    expect(applied.result).toMatch(/^Installed v2\.zip \(version 2\)/);
    expect(caption(l)).toBe('Caption 2');
    expect((await readState(store)).current).toBe(pkg.version);
  });

  it('from an earlier boot is broken at once, even when its process id is in use again', async () => {
    await applyContent(content, store);
    await interruptedApply({
      pid: process.pid,
      boot: 'an-earlier-boot',
      bootTime: Date.now() - os.uptime() * 1000 - 86_400_000,
      at: new Date().toISOString(),
    });
    const started = Date.now();
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Two', version: '2' }));
    await applyContent(content, store);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await rollbackContent(store)).toMatchObject({ from: expect.stringMatching(/^2-/) });
  });

  it('still blocks a second apply while the first one runs', async () => {
    await applyContent(content, store);
    await interruptedApply({ pid: process.ppid, ...(await boot()), at: new Date().toISOString() });
    await expect(applyContent(content, store)).rejects.toThrow(
      /another update of this content store is running/,
    );
    expect(await list(path.join(store, 'staging'))).toEqual(['1767000000000-deadbeef']);
  });
});

describe('what "Apply from inbox" answers', () => {
  it('says when there is nothing new, and what it refused and why', async () => {
    await applyContent(content, store);
    const l = await start();
    expect((await l.applyFromInbox()).result).toBe('Nothing new in the inbox.');

    await writeFile(path.join(inbox, 'junk.zip'), 'not a package');
    expect((await l.applyFromInbox()).result).toMatch(/^Waiting for junk\.zip: changed recently/);
    const refused = await l.applyFromInbox();
    expect(refused.result).toMatch(/^Refused junk\.zip: junk\.zip is not a zip package/);
  });
});
