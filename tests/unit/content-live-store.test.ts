/**
 * The running kiosk and its content store: versions installed by
 * `content apply` or through the inbox are served to the next idle reset, a
 * version the screen cannot draw is rolled back and the store's history says
 * why, and a refused package's problems reach the staff panel line by line.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLiveContent, type LiveContent, type LiveOptions } from '../../main/content/live.js';
import { hashContent, MANIFEST_FILE } from '../../main/content/manifest.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState, storeStatus } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, rawZip, tempDir } from './content-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];
beforeEach(async () => {
  work = await tempDir();
  content = await makeContent(path.join(work, 'content'));
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

/** Installs a new version as `content apply` does, beside the running kiosk. */
const newVersion = async (version: string) => {
  await writeFile(
    path.join(content, 'exhibit.yaml'),
    exhibitYaml({ version, caption: `Caption ${version}` }),
  );
  return applyContent(content, store);
};

/** The kiosk, fed by the store and the inbox only (the folder just seeds an empty store). */
const start = async (extra: Partial<LiveOptions> = {}) => {
  live = await createLiveContent({
    contentDir: content,
    store,
    inbox,
    seedOnly: true,
    pollMs: 0,
    stableMs: 0,
    log: () => {},
    onError: (source, message) => errors.push(`${source}: ${message}`),
    ...extra,
  });
  return live;
};

const caption = (l: LiveContent) => l.source.current()?.exhibit.chapters[0]?.images[0]?.caption.en;

describe('live content and the store', () => {
  it('tells the technician once per start how long it took to draw the first screen', async () => {
    const v1 = await newVersion('1');
    const lines: string[] = [];
    const l = await start({ log: (line) => lines.push(line) });
    l.rendererRendered(v1.version);
    l.rendererRendered(v1.version);
    const drawn = lines.filter((line) => line.startsWith('First screen drawn'));
    expect(drawn).toHaveLength(1);
    // Lets the store write the confirmation (in its queue) before the folder goes.
    await l.poll();
    expect(drawn[0]).toMatch(new RegExp(`content ${v1.version}\\) \\d+ ms after the kiosk process started`));
  });

  it('offers a newly installed version for the next idle reset, and keeps it once drawn', async () => {
    const v1 = await newVersion('1');
    const l = await start();
    expect(l.source.current()?.version).toBe(v1.version);
    expect(l.status()).toMatchObject({ version: v1.version, confirmed: false, pending: undefined });
    l.rendererRendered(v1.version);

    const v2 = await newVersion('2');
    const heard: string[] = [];
    l.source.subscribe((s) => heard.push(s.version));
    await l.poll();
    expect(heard).toEqual([v2.version]);
    expect(l.source.current()).toMatchObject({ version: v2.version, dir: v2.dir });
    expect(caption(l)).toBe('Caption 2');
    expect(l.status()).toMatchObject({
      version: v2.version,
      previous: v1.version,
      confirmed: false,
      pending: { version: v2.version, state: 'waiting' },
    });

    l.rendererApplying(v2.version);
    expect(l.status().pending?.state).toBe('applying');
    l.rendererRendered(v2.version);
    expect(l.status()).toMatchObject({ version: v2.version, confirmed: true, pending: undefined });
    await l.poll();
    expect(heard).toEqual([v2.version]);
  });

  it('rolls back by itself when the new version fails to render, and records why', async () => {
    const v1 = await newVersion('1');
    const l = await start();
    l.rendererRendered(v1.version);
    const v2 = await newVersion('2');
    await l.poll();
    l.rendererApplying(v2.version);

    expect(await l.rendererFailed('renderer reported: chapter view crashed')).toBe(true);
    expect(l.source.current()?.version).toBe(v1.version);
    expect(caption(l)).toBe('Caption 1');
    expect((await readState(store)).current).toBe(v1.version);
    expect((await storeStatus(store)).history[0]).toMatchObject({
      action: 'auto-rollback',
      version: v1.version,
      note: 'renderer reported: chapter view crashed',
    });
    expect(l.status()).toMatchObject({
      version: v1.version,
      confirmed: true,
      pending: undefined,
      autoRollback: {
        version: v2.version,
        restored: v1.version,
        reason: 'renderer reported: chapter view crashed',
      },
    });
    expect(errors.some((e) => e.includes(`${v2.version} failed to render`))).toBe(true);

    // The failed version is not offered again by the next poll, and its files are kept.
    await l.poll();
    expect(l.source.current()?.version).toBe(v1.version);
    expect(l.status().pending).toBeUndefined();
    expect(await readFile(path.join(v2.dir, 'exhibit.yaml'), 'utf8')).toMatch(/Caption 2/);
  });

  it('never rolls back a version it starts with that a renderer drew before', async () => {
    const v1 = await newVersion('1');
    const v2 = await newVersion('2');
    const first = await start();
    first.rendererRendered(v2.version);
    await first.poll();
    first.close();

    const l = await start();
    expect(l.status()).toMatchObject({ version: v2.version, confirmed: false, pending: undefined });
    l.rendererApplying(v2.version);
    expect(await l.rendererFailed('x')).toBe(false);
    expect(l.source.current()?.version).toBe(v2.version);
    expect((await readState(store)).current).toBe(v2.version);
    expect((await readState(store)).confirmed).toContain(v2.version);
    expect(v1.version).not.toBe(v2.version);
  });

  it('puts a version no renderer ever drew on trial at start: a failure rolls it back', async () => {
    const v1 = await newVersion('1');
    const v2 = await newVersion('2');
    const l = await start();
    expect(l.status().pending).toMatchObject({ version: v2.version, state: 'applying' });
    expect(await l.rendererFailed('TypeError: boom')).toBe(true);
    expect(l.source.current()?.version).toBe(v1.version);
    expect((await readState(store)).current).toBe(v1.version);
  });

  it('takes a package from the inbox once it holds still and offers it for the next idle reset', async () => {
    const v1 = await newVersion('1');
    const l = await start();
    await writeFile(path.join(content, 'exhibit.yaml'), exhibitYaml({ version: '2' }));
    const pkg = await packContent(content, path.join(work, 'out') + path.sep);
    const name = path.basename(pkg.file);
    await writeFile(path.join(inbox, name), await readFile(pkg.file));

    await l.poll(); // first sight: waiting for the copy to settle
    expect(l.source.current()?.version).toBe(v1.version);
    expect(l.status().inbox?.waiting).toEqual([name]);
    expect(l.status().pending).toBeUndefined();

    await l.poll();
    expect(l.source.current()?.version).toBe(pkg.version);
    expect(l.status()).toMatchObject({
      version: pkg.version,
      previous: v1.version,
      pending: { version: pkg.version, state: 'waiting' },
      installedFrom: expect.stringContaining(name),
      inbox: { waiting: [], last: `${name} installed as ${pkg.version}` },
      report: { ok: true, source: `inbox ${name}` },
    });
    // Moved whole into applied/, not copied or rewritten.
    expect(await readFile(path.join(inbox, 'applied', name))).toEqual(await readFile(pkg.file));
    await expect(readFile(path.join(inbox, name))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses an inbox package with invalid content and lists its problems for staff', async () => {
    const v1 = await newVersion('1');
    const l = await start();
    // A well-formed package (its manifest matches) of content that does not validate.
    const bad = await makeContent(path.join(work, 'bad'), { version: '2', src: 'media/missing.png' });
    const files = await hashContent(bad);
    const manifest = {
      format: 'vitrine-content',
      formatVersion: 1,
      exhibitId: 'test-exhibit',
      contentVersion: '2',
      createdAt: new Date().toISOString(),
      files,
    };
    const entries = [
      { name: MANIFEST_FILE, data: Buffer.from(JSON.stringify(manifest)) },
      ...(await Promise.all(
        Object.keys(files).map(async (name) => ({ name, data: await readFile(path.join(bad, name)) })),
      )),
    ];
    await writeFile(path.join(inbox, 'bad.vitrine.zip'), rawZip(entries));

    await l.poll();
    await l.poll();
    expect(l.source.current()?.version).toBe(v1.version);
    expect((await readState(store)).current).toBe(v1.version);
    const { report, inbox: box } = l.status();
    expect(report).toMatchObject({ ok: false, source: 'inbox bad.vitrine.zip' });
    expect(report?.lines[0]).toMatch(/content in bad\.vitrine\.zip has errors/);
    expect(report?.lines.some((line) => line.includes('missing.png'))).toBe(true);
    expect(box?.last).toMatch(/^bad\.vitrine\.zip refused/);
    expect(errors.some((e) => e.startsWith('inbox: bad.vitrine.zip refused'))).toBe(true);
    // The note beside the refused package is for people looking at the folder.
    expect(await readFile(path.join(inbox, 'rejected', 'bad.vitrine.zip.txt'), 'utf8')).toMatch(
      /missing\.png/,
    );
  });

  it('serves nothing, and rolls nothing back, when nothing valid was ever installed', async () => {
    await writeFile(path.join(content, 'exhibit.yaml'), 'schemaVersion: 1\nid: Not A Slug\n');
    const l = await start();
    expect(l.source.current()).toBeUndefined();
    expect(await l.rendererFailed('x')).toBe(false);
    const status = l.status();
    expect(status).toMatchObject({ version: undefined, confirmed: false, pending: undefined });
    expect(status.report?.ok).toBe(false);
    expect(status.report?.lines.length).toBeGreaterThan(0);
    expect(l.source.problems().some((p) => p.field === 'id')).toBe(true);
    expect((await readState(store)).current).toBeUndefined();
  });
});
