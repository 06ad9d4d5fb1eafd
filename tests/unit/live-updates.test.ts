/**
 * The live-update path end to end, without a browser: the content folder and
 * the inbox feed the store, the served version changes only for valid content,
 * a package still being copied waits, and a version the renderer cannot draw
 * is rolled back by itself.
 */
import { mkdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { createLiveContent, type LiveContent } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { readState } from '../../main/content/store.js';
import { assembleKiosk } from '../../main/kiosk/assemble.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let offset = 0;
const clock = () => Date.now() + offset;

beforeEach(async () => {
  work = await tempDir('vitrine-live-');
  content = await makeContent(path.join(work, 'content'));
  store = path.join(work, 'store');
  inbox = path.join(work, 'inbox');
  await mkdir(inbox);
  offset = 0;
});
afterEach(async () => {
  // Lets the store finish writing a confirmation (it runs in the store's queue) before the folder goes.
  await live?.poll();
  live?.close();
  live = undefined;
  await cleanup(work);
});

const start = async (extra: { confirmMs?: number } = {}) => {
  live = await createLiveContent({
    contentDir: content,
    store,
    inbox,
    pollMs: 0,
    stableMs: 1000,
    now: clock,
    log: () => {},
    ...extra,
  });
  return live;
};

/** Packs a copy of the content with a changed caption and drops it into the inbox. */
async function dropPackage(name: string, caption: string): Promise<Buffer> {
  const src = await makeContent(path.join(work, `src-${name}`), { caption, version: caption });
  const pkg = await packContent(src, path.join(work, 'out', name));
  const bytes = await readFile(pkg.file);
  await writeFile(path.join(inbox, name), bytes);
  return bytes;
}

/** Two looks: a folder change is taken once it has held still between them. */
const settle = async (l: LiveContent) => {
  await l.poll();
  await l.poll();
};

const caption = (l: LiveContent) => l.source.current()?.exhibit.chapters[0]?.images[0]?.caption.en;

describe('live updates', () => {
  it('starts from the content folder and swaps in a valid edit, keeping the previous version', async () => {
    const l = await start();
    const first = l.source.current()?.version;
    expect(caption(l)).toBe('A photo');
    const heard: string[] = [];
    l.source.subscribe((s) => heard.push(s.version));

    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'A better caption' }));
    await settle(l);

    expect(caption(l)).toBe('A better caption');
    expect(heard).toEqual([l.source.current()?.version]);
    expect(l.status().previous).toBe(first);
    expect(l.status().pending).toMatchObject({ state: 'waiting' });
    // Media are served from the new version's own folder in the store, not the folder staff edit.
    expect(l.source.dir.startsWith(path.join(store, 'versions'))).toBe(true);
  });

  it('starts with an edit made while it was off, on trial until the renderer draws it', async () => {
    const first = (await start()).source.current()!.version;
    live?.close();
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Edited while off' }));
    const l = await start();
    expect(caption(l)).toBe('Edited while off');
    const edited = l.source.current()!.version;
    expect(l.status()).toMatchObject({
      previous: first,
      confirmed: false,
      pending: { version: edited, state: 'applying' },
    });
    l.rendererRendered(edited);
    expect(l.status()).toMatchObject({ confirmed: true, pending: undefined });
    await l.poll();
    expect((await readState(store)).confirmed).toContain(edited);
  });

  it('waits while the folder is still changing (a copy in progress), then takes it', async () => {
    const l = await start();
    const before = l.source.current()?.version;
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Copied over' }));
    await l.poll();
    expect(l.source.current()?.version).toBe(before);
    await writeFile(path.join(content, 'media', 'extra.txt'), 'still copying');
    await l.poll();
    expect(l.source.current()?.version).toBe(before);
    await l.poll();
    expect(caption(l)).toBe('Copied over');
  });

  it('never serves an invalid edit and reports it line by line', async () => {
    const l = await start();
    const good = l.source.current()?.version;
    await writeFile(
      path.join(content, 'exhibit.yaml'),
      exhibitYaml({ caption: 'Broken' }).replace('media/photo.png', 'media/missing.png'),
    );
    await settle(l);

    expect(l.source.current()?.version).toBe(good);
    expect(caption(l)).toBe('A photo');
    const report = l.status().report;
    expect(report?.ok).toBe(false);
    expect(report?.lines.some((line) => line.includes('missing.png'))).toBe(true);
    expect((await readState(store)).current).toBe(good);
  });

  it('the handler keeps answering with the last good exhibit after a bad edit', async () => {
    // Assembled as every kiosk host assembles it.
    const kiosk = await assembleKiosk({
      contentDir: content,
      rendererDir: path.join(work, 'none'),
      live: {
        userData: path.join(work, 'user'),
        env: { VITRINE_CONTENT_STORE: store },
        tuning: { pollMs: 0 },
      },
      log: () => {},
    });
    onTestFinished(() => kiosk.close());
    const { handler } = kiosk;
    const l = kiosk.services.live;
    await writeFile(path.join(content, 'exhibit.yaml'), 'chapters: [');
    await settle(l);
    const res = await handler(new Request('http://127.0.0.1/api/exhibit'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { exhibit: { chapters: { images: { caption: { en: string } }[] }[] } };
    expect(body.exhibit.chapters[0]?.images[0]?.caption.en).toBe('A photo');
    const media = await handler(new Request('http://127.0.0.1/media/photo.png'));
    expect(media.status).toBe(200);
  });

  it('leaves a package that is still being copied, then installs it once it is still', async () => {
    const l = await start();
    const before = l.source.current()?.version;
    const dropped = await dropPackage('update.zip', 'From the inbox');

    await l.poll();
    expect(l.source.current()?.version).toBe(before);
    expect(l.status().inbox?.waiting).toEqual(['update.zip']);

    // The file stops changing: a second look after the stable time takes it.
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(inbox, 'update.zip'), old, old);
    await l.poll();
    offset = 2000;
    await l.poll();

    expect(caption(l)).toBe('From the inbox');
    expect(l.status().installedFrom).toContain('update.zip');
    // Moved whole into applied/, not copied or rewritten.
    expect(await readFile(path.join(inbox, 'applied', 'update.zip'))).toEqual(dropped);
    await expect(readFile(path.join(inbox, 'update.zip'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a damaged package from the inbox; visitors keep the last good version', async () => {
    const l = await start();
    const before = l.source.current()?.version;
    await writeFile(path.join(inbox, 'broken.zip'), Buffer.from('not a zip at all'));
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(inbox, 'broken.zip'), old, old);
    await l.applyFromInbox();
    offset = 2000;
    await l.applyFromInbox();

    expect(l.source.current()?.version).toBe(before);
    expect(l.status().report?.ok).toBe(false);
    expect(l.status().inbox?.last).toMatch(/broken\.zip refused/);
  });

  it('rolls back by itself when the renderer reports an error while drawing the new version', async () => {
    const l = await start();
    const good = l.source.current()!.version;
    l.rendererRendered(good);
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Draws badly' }));
    await settle(l);
    const bad = l.source.current()!.version;
    expect(bad).not.toBe(good);

    l.rendererApplying(bad);
    expect(await l.rendererFailed('TypeError: cannot read properties of undefined')).toBe(true);

    expect(l.source.current()?.version).toBe(good);
    expect(caption(l)).toBe('A photo');
    expect(l.status().autoRollback).toMatchObject({ version: bad, restored: good });
    expect((await readState(store)).history.at(-1)?.action).toBe('auto-rollback');
    // The folder still holds the bad edit, but it is not taken again until it changes.
    await settle(l);
    expect(l.source.current()?.version).toBe(good);
  });

  it('rolls back when the renderer never confirms the new version', async () => {
    const l = await start({ confirmMs: 50 });
    const good = l.source.current()!.version;
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Never drawn' }));
    await settle(l);
    const bad = l.source.current()!.version;
    l.rendererApplying(bad);
    await new Promise<void>((resolve) => {
      const off = l.onChange(() => {
        if (l.status().autoRollback) {
          off();
          resolve();
        }
      });
    });
    expect(l.source.current()?.version).toBe(good);
    expect(l.status().autoRollback?.reason).toMatch(/did not confirm/);
  });

  it('keeps a version the renderer confirmed, even if an error comes later', async () => {
    const l = await start();
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Fine' }));
    await settle(l);
    const v = l.source.current()!.version;
    l.rendererApplying(v);
    l.rendererRendered(v);
    expect(await l.rendererFailed('an unrelated audio error')).toBe(false);
    expect(l.source.current()?.version).toBe(v);
    expect(l.status().confirmed).toBe(true);
  });

  it('follows a version installed by "content apply" on the same machine', async () => {
    const l = await start();
    const other = await makeContent(path.join(work, 'other'), { caption: 'Applied by hand' });
    const { applyContent } = await import('../../main/content/store.js');
    await applyContent(other, store);
    await settle(l);
    expect(caption(l)).toBe('Applied by hand');
  });

  it('staff roll back to the previous version and can undo it', async () => {
    const l = await start();
    const first = l.source.current()!.version;
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'Second' }));
    await settle(l);
    const second = l.source.current()!.version;
    await l.rollback();
    expect(l.source.current()?.version).toBe(first);
    await l.rollback();
    expect(l.source.current()?.version).toBe(second);
  });

  it('a folder being saved by rename is picked up as one change', async () => {
    const l = await start();
    const tmp = path.join(content, '.exhibit.yaml.tmp');
    await writeFile(tmp, exhibitYaml({ caption: 'Saved by rename' }));
    await rename(tmp, path.join(content, 'exhibit.yaml'));
    await settle(l);
    expect(caption(l)).toBe('Saved by rename');
  });
});

describe('live updates from the bundled exhibit', () => {
  it('only seeds an empty store, so an app update never replaces the museum’s own content', async () => {
    const l = await createLiveContent({
      contentDir: content,
      store,
      pollMs: 0,
      seedOnly: true,
      log: () => {},
    });
    live = l;
    expect(caption(l)).toBe('A photo');
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ caption: 'New bundled text' }));
    await settle(l);
    expect(caption(l)).toBe('A photo');
  });
});
