/**
 * Start-up never fails because of the store's state: a truncated, empty or
 * hostile `current.json`, a current version whose files were damaged, and an
 * exhibit.yaml that makes the YAML parser throw. Each case checks what
 * visitors would see and what staff are told.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { applyContent, readState } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { ALIAS_BOMB, caption, contentFiles, list, packageOf, startLive } from './fault-store-fixtures.js';

let work: string;
let content: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-start-');
  content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
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

/** Installs two versions as `content apply` would; the second is current. */
async function twoVersions() {
  const src = await makeContent(path.join(work, 'src'), { caption: 'One', version: '1' });
  const v1 = await applyContent(src, store);
  await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Two', version: '2' }));
  const v2 = await applyContent(src, store);
  return { v1, v2 };
}

const start = async () => {
  live = await startLive({ contentDir: content, store, inbox, seedOnly: true }, errors);
  return live;
};

describe('start-up with a damaged store', () => {
  it.each([
    ['truncated', (text: string) => text.slice(0, 20)],
    ['empty', () => ''],
    ['not JSON at all', () => '\u0000\u0000\u0000'],
  ])('starts with the newest installed version when current.json is %s', async (_kind, damage) => {
    const { v2 } = await twoVersions();
    // The pointer and its backup copy both damaged: the store is rebuilt from its version folders.
    for (const name of ['current.json', 'current.backup.json']) {
      const file = path.join(store, name);
      await writeFile(file, damage(await readFile(file, 'utf8')));
    }

    const l = await start();
    expect(caption(l)).toBe('Two');
    expect(l.source.current()?.version).toBe(v2.version);
    expect(errors.join('\n')).toMatch(/current\.json.*damaged/);
    // The pointer is written again, whole.
    const pointer = JSON.parse(await readFile(path.join(store, 'current.json'), 'utf8')) as {
      current: string;
    };
    expect(pointer.current).toBe(v2.version);
  });

  it('refuses a pointer that names a folder outside the store', async () => {
    await twoVersions();
    await writeFile(
      path.join(store, 'current.json'),
      JSON.stringify({ current: '../../content', history: [] }),
    );
    const l = await start();
    expect(caption(l)).toBe('Two');
    expect(errors.join('\n')).toMatch(/current\.json.*damaged/);
  });

  it('uses the backup copy of a truncated pointer, keeping the history', async () => {
    const { v1, v2 } = await twoVersions();
    const file = path.join(store, 'current.json');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 30));
    const l = await start();
    expect(caption(l)).toBe('Two');
    expect(l.status()).toMatchObject({ version: v2.version, previous: v1.version });
    expect(l.status().history).toHaveLength(2);
    expect(errors.join('\n')).toMatch(/current\.json is damaged.*backup/);
  });

  it('goes back to the previous version when the current one lost files', async () => {
    const { v1, v2 } = await twoVersions();
    await rm(path.join(v2.dir, 'exhibit.yaml'));

    const l = await start();
    expect(caption(l)).toBe('One');
    expect((await readState(store)).current).toBe(v1.version);
    expect(errors.join('\n')).toContain(`version ${v2.version} is damaged`);
    expect(l.status().autoRollback).toMatchObject({ version: v2.version, restored: v1.version });
  });

  it('goes back to the previous version when the current exhibit.yaml makes the parser throw', async () => {
    const { v2 } = await twoVersions();
    await writeFile(path.join(v2.dir, 'exhibit.yaml'), ALIAS_BOMB);
    const l = await start();
    expect(caption(l)).toBe('One');
    expect(errors.join('\n')).toContain(`version ${v2.version} is damaged`);
  });

  it('starts from the bundled content when no installed version can be read', async () => {
    const { v1, v2 } = await twoVersions();
    await rm(path.join(v1.dir, 'exhibit.yaml'));
    await writeFile(path.join(v2.dir, 'exhibit.yaml'), 'chapters: [');
    await writeFile(path.join(store, 'current.json'), '{"curr');

    const l = await start();
    expect(caption(l)).toBe('Seed');
    const state = await readState(store);
    expect(state.current).toBe(l.source.current()?.version);
  });

  it('starts, reporting the problem, when even the content folder makes the parser throw', async () => {
    await writeFile(path.join(content, 'exhibit.yaml'), ALIAS_BOMB);
    const l = await start();
    expect(l.source.current()).toBeUndefined();
    expect(l.status().report?.ok).toBe(false);
    expect(l.status().report?.lines.join('\n')).toMatch(/alias/i);
  });
});

describe('an alias bomb in a package', () => {
  it('is refused once, moved to rejected/ with a note, and never unpacked again', async () => {
    const { v2 } = await twoVersions();
    const files = await contentFiles({ caption: 'Bomb', version: '3' });
    files['exhibit.yaml'] = Buffer.from(ALIAS_BOMB);
    await writeFile(path.join(inbox, 'bomb.zip'), packageOf(files, { contentVersion: '3' }));

    const l = await start();
    // Two looks: a package is taken once it has held still between them.
    await l.poll();
    await l.poll();
    expect(caption(l)).toBe('Two');
    expect(l.source.current()?.version).toBe(v2.version);
    expect(await list(inbox)).toEqual(['rejected']);
    expect(await list(path.join(inbox, 'rejected'))).toEqual(['bomb.zip', 'bomb.zip.txt']);
    expect(await readFile(path.join(inbox, 'rejected', 'bomb.zip.txt'), 'utf8')).toMatch(/alias/i);
    expect(l.status().inbox?.last).toMatch(/bomb\.zip refused/);
    expect(await list(path.join(store, 'staging'))).toEqual([]);

    const before = errors.length;
    await l.poll();
    await l.poll();
    expect(errors.length).toBe(before);
  });

  it('on a read-only inbox, is refused once and not unpacked at every look', async () => {
    await twoVersions();
    const files = await contentFiles({ version: '3' });
    files['exhibit.yaml'] = Buffer.from(ALIAS_BOMB);
    await writeFile(path.join(inbox, 'bomb.zip'), packageOf(files, { contentVersion: '3' }));
    // A folder in the way of rejected/ makes the move fail, as on a read-only share.
    await writeFile(path.join(inbox, 'rejected'), 'not a folder');

    const l = await start();
    await l.poll();
    await l.poll();
    await l.poll();
    const refused = errors.filter((e) => e.includes('bomb.zip')).length;
    expect(refused).toBe(1);
    live?.close();
    // A restart remembers it too: the store keeps the fingerprints of refused packages.
    errors = [];
    const again = await start();
    await again.poll();
    await again.poll();
    expect(errors.filter((e) => e.includes('bomb.zip'))).toEqual([]);
  });
});
