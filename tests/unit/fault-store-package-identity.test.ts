/**
 * Packages say what they are, and the kiosk listens: an older version does
 * not replace the current one without leave (`allowOlder`, `--allow-older`),
 * a package of another exhibit is refused unless forced (`--force`), and a
 * package made by a newer Vitrine says so instead of "not valid".
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import type { LiveContent, LiveOptions } from '../../main/content/live.js';
import { packContent } from '../../main/content/pack.js';
import { applyContent, readState, RejectedContent } from '../../main/content/store.js';
import { captureOut, cleanup, makeContent, tempDir } from './content-fixtures.js';
import { caption, contentFiles, list, packageOf, startLive } from './fault-store-fixtures.js';

let work: string;
let store: string;
let inbox: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-identity-');
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

/** A package of content version `version` (and exhibit `id`), made by `content pack`. */
async function pkg(version: string, extra: { id?: string; at?: number } = {}) {
  const dir = await makeContent(path.join(work, `src-${version}-${extra.id ?? ''}`), {
    caption: `Caption ${version}`,
    version,
  });
  if (extra.id) {
    const yaml = await readFile(path.join(dir, 'exhibit.yaml'), 'utf8');
    await writeFile(path.join(dir, 'exhibit.yaml'), yaml.replace('id: test-exhibit', `id: ${extra.id}`));
  }
  const out = path.join(work, `out-${version}-${extra.id ?? ''}`) + path.sep;
  return packContent(dir, out, undefined, () => new Date(extra.at ?? Date.now()));
}

const kiosk = async (opts: Partial<LiveOptions> = {}) => {
  const content = await makeContent(path.join(work, 'content'));
  live = await startLive({ contentDir: content, store, inbox, seedOnly: true, ...opts }, errors);
  return live;
};

const dropAndTake = async (l: LiveContent, file: string, name: string) => {
  await writeFile(path.join(inbox, name), await readFile(file));
  await l.poll();
  await l.poll();
};

describe('a package that is older than what is shown', () => {
  it('is refused from the inbox with the two versions named, and the note says how to allow it', async () => {
    await applyContent((await pkg('3')).file, store);
    const l = await kiosk();
    await dropAndTake(l, (await pkg('2')).file, 'old.zip');
    expect(caption(l)).toBe('Caption 3');
    expect(l.status().inbox?.last).toMatch(/old\.zip refused: .*holds version 2, older than 3 shown now/);
    const note = await readFile(path.join(inbox, 'rejected', 'old.zip.txt'), 'utf8');
    expect(note).toMatch(/allowOlder/);
  });

  it('is installed when config.json allows older versions', async () => {
    await applyContent((await pkg('3')).file, store);
    const l = await kiosk({ allowOlder: true });
    await dropAndTake(l, (await pkg('2')).file, 'old.zip');
    expect(caption(l)).toBe('Caption 2');
  });

  it('compares versions as numbers (1.10 is newer than 1.9), else by when they were made', async () => {
    await applyContent((await pkg('1.9', { at: Date.parse('2025-12-01') })).file, store);
    await applyContent((await pkg('1.10', { at: Date.parse('2025-11-01') })).file, store);
    await applyContent((await pkg('spring', { at: Date.parse('2026-03-01') })).file, store);
    await expect(
      applyContent((await pkg('winter', { at: Date.parse('2026-01-01') })).file, store),
    ).rejects.toThrow(
      /holds version "winter", made 2026-01-01, before the version shown now \("spring", made 2026-03-01\)/,
    );
  });

  it('compares dated versions as dates, whenever each package was made', async () => {
    await applyContent((await pkg('2026-11-27', { at: Date.parse('2026-11-20') })).file, store);
    await expect(
      applyContent((await pkg('2026-11-26', { at: Date.parse('2026-11-29') })).file, store),
    ).rejects.toThrow(/holds version 2026-11-26, older than 2026-11-27 shown now/);
    await applyContent((await pkg('2026-11-27b', { at: Date.parse('2026-11-21') })).file, store);
    expect((await readState(store)).history.at(-1)?.contentVersion).toBe('2026-11-27b');
  });

  it('needs --allow-older on the command line', async () => {
    await applyContent((await pkg('3')).file, store);
    const old = (await pkg('2')).file;
    const refused = captureOut();
    expect(await runContentCli(['apply', old, '--store', store], refused.out)).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(/--allow-older/);
    const allowed = captureOut();
    expect(await runContentCli(['apply', old, '--store', store, '--allow-older'], allowed.out)).toBe(0);
    expect((await readState(store)).history.at(-1)?.contentVersion).toBe('2');
  });
});

describe('a package of another exhibit', () => {
  it('is refused, naming both exhibits, unless forced', async () => {
    await applyContent((await pkg('1')).file, store);
    const other = (await pkg('5', { id: 'other-exhibit' })).file;
    const refused = captureOut();
    expect(await runContentCli(['apply', other, '--store', store], refused.out)).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(
      /"other-exhibit", but this kiosk shows "test-exhibit".*--force/,
    );
    const forced = captureOut();
    expect(await runContentCli(['apply', other, '--store', store, '--force'], forced.out)).toBe(0);
    expect((await readState(store)).history.at(-1)?.exhibitId).toBe('other-exhibit');
  });

  it('is refused from the inbox; visitors keep their exhibit', async () => {
    await applyContent((await pkg('1')).file, store);
    const l = await kiosk();
    await dropAndTake(l, (await pkg('5', { id: 'other-exhibit' })).file, 'other.zip');
    expect(caption(l)).toBe('Caption 1');
    expect(await list(path.join(inbox, 'rejected'))).toEqual(['other.zip', 'other.zip.txt']);
  });
});

describe('a package made by a newer Vitrine', () => {
  it('says to update the kiosk, not that the manifest is not valid', async () => {
    await applyContent((await pkg('1')).file, store);
    const file = path.join(work, 'future.zip');
    await writeFile(
      file,
      packageOf(await contentFiles({ version: '2' }), { formatVersion: 2, contentVersion: '2', shiny: true }),
    );
    const err = await applyContent(file, store).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectedContent);
    expect((err as Error).message).toBe(
      'rejected: future.zip was made by a newer Vitrine (format 2); update this kiosk',
    );
  });
});
