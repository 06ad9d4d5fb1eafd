/** Where `pack` may write its package: never inside the folder it packs, or it would pack itself. */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packContent } from '../../main/content/pack.js';
import { cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir('vitrine-pack-target-');
});
afterEach(() => cleanup(work));

describe('pack target', () => {
  it('refuses the content folder itself and any folder inside it', async () => {
    const dir = await makeContent(path.join(work, 'exhibit'));
    await expect(packContent(dir, `${dir}/`)).rejects.toThrow(/outside the content folder/);
    await expect(packContent(dir, path.join(dir, 'out', 'x.zip'))).rejects.toThrow(
      /outside the content folder/,
    );
  });

  it('takes a sibling folder, even one whose name starts with the content folder’s', async () => {
    const dir = await makeContent(path.join(work, 'exhibit'));
    const result = await packContent(dir, path.join(work, 'exhibit-packages', 'x.zip'));
    expect(result.file).toBe(path.join(work, 'exhibit-packages', 'x.zip'));
  });
});
