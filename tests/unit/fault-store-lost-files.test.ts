/**
 * Files deleted from the current version folder: the kiosk once served the
 * version anyway, with 404s for the lost pictures and no word to staff. The
 * folder is now checked against its manifest (sizes, stat only) at start and
 * before a version is served after a switch; a loss is damage.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LiveContent } from '../../main/content/live.js';
import { applyContent, checkVersionFiles, readState } from '../../main/content/store.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';
import { caption, startLive } from './fault-store-fixtures.js';

let work: string;
let content: string;
let store: string;
let live: LiveContent | undefined;
let errors: string[];

beforeEach(async () => {
  work = await tempDir('vitrine-fault-lost-');
  content = await makeContent(path.join(work, 'content'), { caption: 'Seed' });
  store = path.join(work, 'store');
  errors = [];
});
afterEach(async () => {
  live?.close();
  live = undefined;
  await cleanup(work);
});

async function twoVersions() {
  const src = await makeContent(path.join(work, 'src'), { caption: 'One', version: '1' });
  const v1 = await applyContent(src, store);
  await writeFile(path.join(src, 'exhibit.yaml'), exhibitYaml({ caption: 'Two', version: '2' }));
  const v2 = await applyContent(src, store);
  return { v1, v2 };
}

const start = async () => {
  live = await startLive({ contentDir: content, store, seedOnly: true }, errors);
  return live;
};

describe('a current version that lost files', () => {
  it('goes back to the previous version at start and names the lost file for staff', async () => {
    const { v1, v2 } = await twoVersions();
    await rm(path.join(v2.dir, 'media', 'photo.png'));
    const l = await start();
    expect(caption(l)).toBe('One');
    const state = await readState(store);
    expect(state.current).toBe(v1.version);
    expect(state.history.at(-1)?.action).toBe('auto-rollback');
    expect(errors.join('\n')).toMatch(
      new RegExp(`version ${v2.version} is damaged .*media/photo\\.png \\(missing\\)`),
    );
  });

  it('counts a file cut short as damage too', async () => {
    const { v2 } = await twoVersions();
    await writeFile(path.join(v2.dir, 'media', 'voice.vtt'), 'WEBVTT\n');
    const l = await start();
    expect(caption(l)).toBe('One');
    expect(errors.join('\n')).toMatch(/media\/voice\.vtt \(7 bytes, not \d+\)/);
  });

  it('falls back to the content folder when the only version lost files', async () => {
    const src = await makeContent(path.join(work, 'src'), { caption: 'Only', version: '1' });
    const only = await applyContent(src, store);
    await rm(path.join(only.dir, 'media', 'photo.png'));
    const l = await start();
    expect(caption(l)).toBe('Seed');
    expect(errors.join('\n')).toMatch(/media\/photo\.png \(missing\)/);
  });

  it('names the commanders plate and its screen copies lost from the bundled exhibit, in a quick stat-only check', async () => {
    const bundled = await applyContent(path.resolve('assets/exhibit'), store);
    const t0 = performance.now();
    expect(await checkVersionFiles(bundled.dir)).toBeUndefined();
    // Stat only: a whole exhibit is checked at every start without delaying it.
    expect(performance.now() - t0).toBeLessThan(1000);
    for (const rel of [
      'plates/commanders.svg',
      '_screen/plates/commanders.1920.webp',
      '_screen/plates/commanders.3840.webp',
    ]) {
      await rm(path.join(bundled.dir, 'media', rel));
    }
    const problem = await checkVersionFiles(bundled.dir);
    expect(problem?.message).toMatch(/^3 files of this version went missing/);
    expect(problem?.message).toContain('media/plates/commanders.svg (missing)');
    expect(problem?.message).toContain('media/_screen/plates/commanders.1920.webp (missing)');
    expect(problem?.file).toMatch(/commanders/);
  });
});
