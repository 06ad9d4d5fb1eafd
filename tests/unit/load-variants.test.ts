import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadExhibit, VARIANTS_FILE } from '../../main/content/load.js';
import { exhibitYaml } from './handler-fixture.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'vitrine-variants-'));
  await writeFile(path.join(dir, 'exhibit.yaml'), exhibitYaml());
  await mkdir(path.join(dir, 'media/_screen'), { recursive: true });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('screen-sized copies', () => {
  it('are handed to the renderer with the image they belong to, smallest first', async () => {
    await writeFile(
      path.join(dir, VARIANTS_FILE),
      JSON.stringify({
        'media/plates/plate.svg': [
          { src: 'media/_screen/plate-3840.webp', width: 3840, height: 2880 },
          { src: 'media/_screen/plate-1920.webp', width: 1920, height: 1440 },
        ],
      }),
    );
    const result = await loadExhibit(dir);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.exhibit.chapters[0]!.images[0]!.variants?.map((v) => v.width)).toEqual([1920, 3840]);
  });

  it('are ignored when the index is damaged or points outside media/, and the exhibit still loads', async () => {
    await writeFile(path.join(dir, VARIANTS_FILE), '{ not json');
    const broken = await loadExhibit(dir);
    expect(broken.ok && broken.exhibit.chapters[0]!.images[0]!.variants).toBeUndefined();

    await writeFile(
      path.join(dir, VARIANTS_FILE),
      JSON.stringify({ 'media/plates/plate.svg': [{ src: '../../etc/passwd', width: 1, height: 1 }] }),
    );
    const hostile = await loadExhibit(dir);
    expect(hostile.ok).toBe(true);
    expect(hostile.ok && hostile.exhibit.chapters[0]!.images[0]!.variants).toBeUndefined();
  });
});
