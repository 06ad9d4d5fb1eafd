/**
 * The rollout as one persisted state machine: a confirmation is stored, a
 * version no renderer ever drew is on trial again after a restart (so one
 * that crashes the screen at every start still goes back), a failure before
 * the renderer said it was applying rolls back too, and a version rolled back
 * never returns from the inbox, not even after a restart with a read-only inbox.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { caption, list, startLive } from './fault-store-fixtures.js';

let work: string;
let content: string;
let src: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-rollout-');
  content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
  src = await makeContent(path.join(work, 'src'), { caption: 'One', version: '1' });
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

const start = async (confirmMs = 30_000) => {
  live?.close();
  live = await startLive({ contentDir: content, store, inbox, seedOnly: true, confirmMs }, errors);
  return live;
};

/** Version `n` of the source folder, installed as `content apply` does. */
const install = async (n: string) => {
  await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: `Caption ${n}`, version: n }));
  return applyContent(src, store);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a persisted rollout', () => {
  it('stores the confirmation in the store, atomically beside the pointer', async () => {
    const v1 = await install('1');
    const l = await start();
    l.rendererRendered(v1.version);
    await l.poll();
    expect((await readState(store)).confirmed).toEqual([v1.version]);
    const pointer = JSON.parse(await readFile(path.join(store, 'current.json'), 'utf8')) as {
      confirmed: string[];
    };
    expect(pointer.confirmed).toEqual([v1.version]);
  });

  it('rolls back a version that crashes the screen at every start', async () => {
    const v1 = await install('1');
    (await start()).rendererRendered(v1.version);
    await live!.poll();
    const v2 = await install('2');

    // Each start the renderer dies before it can confirm; the kiosk is restarted.
    for (let i = 0; i < 2; i++) {
      const l = await start(60_000);
      expect(caption(l)).toBe('Caption 2');
      expect(l.status().pending).toMatchObject({ version: v2.version, state: 'applying' });
    }
    const l = await start(100);
    await sleep(400);
    await l.poll();
    expect(caption(l)).toBe('Caption 1');
    expect((await readState(store)).current).toBe(v1.version);
    expect(l.status().autoRollback).toMatchObject({ version: v2.version, restored: v1.version });
    expect(errors.join('\n')).toContain(`version ${v2.version} failed to render`);
  });

  it('rolls back a version the kiosk restarted with again and again, faster than the confirm time', async () => {
    const v1 = await install('1');
    (await start()).rendererRendered(v1.version);
    await live!.poll();
    const v2 = await install('2');
    for (let i = 0; i < 3; i++) expect(caption(await start(60_000))).toBe('Caption 2');
    const l = await start(60_000);
    await l.poll();
    expect(caption(l)).toBe('Caption 1');
    expect((await readState(store)).current).toBe(v1.version);
    expect(l.status().autoRollback).toMatchObject({
      version: v2.version,
      reason: 'the kiosk started 3 times with it and it was never drawn',
    });
  });

  it('rolls back when the renderer fails before it said it was applying the new version', async () => {
    const v1 = await install('1');
    const l = await start();
    l.rendererRendered(v1.version);
    const v2 = await install('2');
    await l.poll();
    expect(l.status().pending).toMatchObject({ version: v2.version, state: 'waiting' });
    expect(await l.rendererFailed('Uncaught TypeError while loading')).toBe(true);
    expect(caption(l)).toBe('Caption 1');
    expect((await readState(store)).current).toBe(v1.version);
  });

  it('never installs a rolled-back package again, across a restart, from a read-only inbox', async () => {
    const v1 = await install('1');
    (await start()).rendererRendered(v1.version);
    await live!.poll();
    await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Caption 2', version: '2' }));
    const pkg = await packContent(src, path.join(work, 'out') + path.sep);
    await writeFile(path.join(inbox, 'v2.zip'), await readFile(pkg.file));
    // Files in the way of applied/ and rejected/: nothing can be moved, as on a read-only share.
    await writeFile(path.join(inbox, 'applied'), '');
    await writeFile(path.join(inbox, 'rejected'), '');

    let l = await start();
    await l.poll();
    await l.poll();
    expect(caption(l)).toBe('Caption 2');
    expect(await l.rendererFailed('the chapter view crashed')).toBe(true);
    expect(caption(l)).toBe('Caption 1');

    for (let i = 0; i < 2; i++) {
      l = await start();
      await l.poll();
      await l.poll();
      expect(caption(l)).toBe('Caption 1');
      expect((await readState(store)).current).toBe(v1.version);
    }
    expect(await list(inbox)).toEqual(['applied', 'rejected', 'v2.zip']);
    const record = (await readState(store)).packages.find((p) => p.name === 'v2.zip');
    expect(record).toMatchObject({ outcome: 'rolled-back', version: pkg.version });
  });

  it('refuses the same rolled-back version packed again (other bytes), naming why', async () => {
    const v1 = await install('1');
    (await start()).rendererRendered(v1.version);
    await live!.poll();
    await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Caption 2', version: '2' }));
    const first = await packContent(src, path.join(work, 'a') + path.sep, undefined, () => new Date(1000));
    await writeFile(path.join(inbox, 'v2.zip'), await readFile(first.file));
    const l = await start();
    await l.poll();
    await l.poll();
    expect(await l.rendererFailed('crash')).toBe(true);

    const again = await packContent(src, path.join(work, 'b') + path.sep, undefined, () => new Date(2000));
    await writeFile(path.join(inbox, 'v2-again.zip'), await readFile(again.file));
    await l.poll();
    await l.poll();
    expect(caption(l)).toBe('Caption 1');
    expect(l.status().inbox?.last).toMatch(/v2-again\.zip refused: .*rolled back/);
    expect(await list(path.join(inbox, 'rejected'))).toEqual(['v2-again.zip', 'v2-again.zip.txt']);
  });
});
