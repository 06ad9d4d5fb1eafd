import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveStore, type LiveStoreEvent } from '../../main/content/live-store.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState, storeStatus } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
  store = path.join(work, 'store');
  inbox = path.join(work, 'inbox');
  await mkdir(inbox);
});
afterEach(() => cleanup(work));

const newVersion = async (version: string) => {
  await writeFile(
    path.join(content, 'exhibit.yaml'),
    exhibitYaml({ version, caption: `Caption ${version}` }),
  );
  return applyContent(content, store);
};

describe('live content store', () => {
  it('holds a new version back until the idle reset, then shows it', async () => {
    const v1 = await newVersion('1');
    const live = await createLiveStore({ store, pollMs: 0 });
    expect(live.shown()?.version).toBe(v1.version);
    const v2 = await newVersion('2');
    const events: LiveStoreEvent[] = [];
    live.subscribe((e) => events.push(e));
    await live.poll();
    expect(live.shown()?.version).toBe(v1.version);
    expect(live.pending()).toEqual({ version: v2.version, dir: v2.dir });
    expect(live.commitAtIdle()?.version).toBe(v2.version);
    expect(live.shown()?.version).toBe(v2.version);
    expect(live.pending()).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['pending', 'shown']);
    live.close();
  });

  it('rolls back by itself when the shown version fails to render, and records why', async () => {
    const v1 = await newVersion('1');
    const v2 = await newVersion('2');
    const live = await createLiveStore({ store, pollMs: 0 });
    const back = await live.renderFailed('renderer reported: chapter view crashed');
    expect(back?.version).toBe(v1.version);
    expect(live.shown()?.version).toBe(v1.version);
    expect((await readState(store)).current).toBe(v1.version);
    expect((await storeStatus(store)).history[0]).toMatchObject({
      action: 'auto-rollback',
      note: 'renderer reported: chapter view crashed',
    });
    // The failed version is not offered again by the next poll.
    await live.poll();
    expect(live.pending()).toBeUndefined();
    expect(await readFile(path.join(v2.dir, 'exhibit.yaml'), 'utf8')).toMatch(/Caption 2/);
    live.close();
  });

  it('takes a package from the inbox and offers it for the next idle reset', async () => {
    const v1 = await newVersion('1');
    const live = await createLiveStore({ store, inbox, pollMs: 0, stableMs: 0 });
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ version: '2' }));
    const pkg = await packContent(content, path.join(work, 'out') + path.sep);
    await writeFile(path.join(inbox, path.basename(pkg.file)), await readFile(pkg.file));
    await live.poll(); // first sight: waiting for the copy to settle
    expect(live.pending()).toBeUndefined();
    const events = await live.poll();
    expect(events.map((e) => e.kind)).toEqual(['inbox', 'pending']);
    expect(live.pending()?.version).toBe(pkg.version);
    expect(live.shown()?.version).toBe(v1.version);
    live.close();
  });

  it('shows nothing from the store when nothing was ever applied', async () => {
    const live = await createLiveStore({ store, pollMs: 0 });
    expect(live.shown()).toBeUndefined();
    expect(await live.renderFailed('x')).toBeUndefined();
    live.close();
  });
});
