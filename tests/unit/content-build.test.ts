import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { buildContent, plannedEdges, variantPath } from '../../main/content/build.js';
import { loadExhibit, VARIANTS_FILE } from '../../main/content/load.js';
import { captureOut, cleanup, exhibitYaml, makeContent, png, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

const sha = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

describe('content build', () => {
  it('makes a screen-sized WebP, never enlarges, changes nothing but its copies, and indexes the size', async () => {
    const original = path.join(dir, 'media', 'photo.png');
    await writeFile(original, await png(2400, 1200));
    const before = await sha(original);
    const { out, stdout } = captureOut();
    expect(await runContentCli(['build', dir], out)).toBe(0);
    expect(stdout.join('\n')).toMatch(/1 screen copy up to date \(1 written\)/);

    const variant = path.join(dir, variantPath('media/photo.png', 1920));
    expect(variantPath('media/photo.png', 1920)).toBe('media/_screen/photo.1920.webp');
    const meta = await sharp(variant).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 1920, 960]);
    await expect(stat(path.join(dir, variantPath('media/photo.png', 3840)))).rejects.toThrow();
    expect(await sha(original)).toBe(before);
    // The curator's file is left exactly as they wrote it.
    expect(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).toBe(exhibitYaml());
    expect(JSON.parse(await readFile(path.join(dir, VARIANTS_FILE), 'utf8'))).toEqual({
      'media/photo.png': [
        {
          src: 'media/_screen/photo.1920.webp',
          width: 1920,
          height: 960,
          original: { sha256: before, width: 2400, height: 1200 },
        },
      ],
    });

    const again = await buildContent(dir);
    expect(again).toMatchObject({ written: 0, made: [], upToDate: ['media/photo.png'] });

    // A replaced scan of another size is copied again, and its new size indexed; exhibit.yaml stays as it was.
    await writeFile(original, await png(1000, 2000));
    expect(await buildContent(dir)).toMatchObject({ written: 1 });
    const loaded = await loadExhibit(dir);
    expect(loaded.ok && loaded.exhibit.chapters[0]!.images[0]).toMatchObject({ width: 1000, height: 2000 });
    expect(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).toBe(exhibitYaml());
  });

  it('keeps a CRLF exhibit.yaml byte for byte', async () => {
    const crlf = exhibitYaml().replace(/\n/g, '\r\n');
    await writeFile(path.join(dir, 'exhibit.yaml'), crlf);
    await writeFile(path.join(dir, 'media', 'photo.png'), await png(2400, 1200));
    await buildContent(dir);
    expect(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).toBe(crlf);
  });

  it('keeps the screen copies the plate generator made while the slot is still a placeholder', async () => {
    const plate = 'media/plates/photo.svg';
    const copy = { src: variantPath(plate, 1920), width: 1920, height: 1440 };
    const index = path.join(dir, VARIANTS_FILE);
    const readIndex = async () => JSON.parse(await readFile(index, 'utf8')) as unknown;
    await mkdir(path.join(dir, 'media', 'plates'), { recursive: true });
    await writeFile(
      path.join(dir, plate),
      '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"><rect width="1600" height="1200"/></svg>',
    );
    await writeFile(
      path.join(dir, 'exhibit.yaml'),
      exhibitYaml({ src: plate, imageExtra: '\n        placeholder: true' }),
    );
    await mkdir(path.dirname(path.join(dir, copy.src)), { recursive: true });
    await writeFile(
      path.join(dir, copy.src),
      await sharp(await png(1920, 1440))
        .webp()
        .toBuffer(),
    );
    await writeFile(index, JSON.stringify({ [plate]: [copy], 'media/gone.png': [copy] }));

    await buildContent(dir);
    // The plate keeps its copy; an entry for an image the exhibit no longer has goes.
    expect(await readIndex()).toEqual({ [plate]: [copy] });

    // A copy whose file has gone is not offered to the kiosk.
    await rm(path.join(dir, copy.src));
    await buildContent(dir);
    expect(await readIndex()).toEqual({});

    // Nor is a plate's copy once the slot is a real image (here, no longer marked placeholder).
    await writeFile(
      path.join(dir, copy.src),
      await sharp(await png(1920, 1440))
        .webp()
        .toBuffer(),
    );
    await writeFile(index, JSON.stringify({ [plate]: [copy] }));
    await writeFile(path.join(dir, 'exhibit.yaml'), exhibitYaml({ src: plate }));
    await buildContent(dir);
    expect(await readIndex()).toEqual({});
  });

  it('refuses a scan whose name the kiosk refuses, and keeps every plate its copies, even from a lost index', async () => {
    const plate = 'media/plates/photo.svg';
    const copies = [1920, 3840].map((edge) => ({
      src: variantPath(plate, edge),
      width: edge,
      height: edge * 0.75,
    }));
    await mkdir(path.join(dir, 'media', 'plates'), { recursive: true });
    await writeFile(
      path.join(dir, plate),
      '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1200"/>',
    );
    for (const c of copies) {
      await mkdir(path.dirname(path.join(dir, c.src)), { recursive: true });
      await writeFile(
        path.join(dir, c.src),
        await sharp(await png(c.width, c.height))
          .webp()
          .toBuffer(),
      );
    }
    const scan = 'media/ялта.png';
    await writeFile(path.join(dir, scan), await png(2400, 1200));
    const yaml = exhibitYaml({ src: plate, imageExtra: '\n        placeholder: true' });
    await writeFile(
      path.join(dir, 'exhibit.yaml'),
      yaml.replace(
        '      - id: photo\n',
        `      - id: yalta\n        src: ${scan}\n        caption: { en: Yalta, ru: Ялта }\n        credit: { en: Archive, ru: Архив }\n        alt: { en: A grey square, ru: Серый квадрат }\n      - id: photo\n`,
      ),
    );
    // An index damaged by one bad entry, as an older build left it: the plate's entry is lost with it.
    const index = path.join(dir, VARIANTS_FILE);
    await writeFile(
      index,
      JSON.stringify({ [scan]: [{ src: variantPath(scan, 1920), width: 1920, height: 960 }] }),
    );

    const { out, stderr } = captureOut();
    expect(await runContentCli(['build', dir], out)).not.toBe(0);
    expect(stderr.join('\n')).toContain(
      `"${scan}" contains "я", which a media path may not use: use only the letters a-z and A-Z, digits, ".", "_", "-" and "/"; rename the file in media/`,
    );
    await expect(stat(path.join(dir, variantPath(scan, 1920)))).rejects.toThrow();
    const written = JSON.parse(await readFile(index, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual([plate]);
    const loaded = await loadExhibit(dir);
    expect(loaded.ok).toBe(false);

    // Once renamed the exhibit loads, and the plate is shown from its copies.
    await rm(path.join(dir, scan));
    await writeFile(path.join(dir, 'media', 'yalta.png'), await png(2400, 1200));
    const fixed = (await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).replace(scan, 'media/yalta.png');
    await writeFile(path.join(dir, 'exhibit.yaml'), fixed);
    await buildContent(dir);
    const again = await loadExhibit(dir);
    const images = again.ok ? again.exhibit.chapters[0]!.images : [];
    expect(images.find((i) => i.src === plate)?.variants?.map((v) => v.src)).toEqual(
      copies.map((c) => c.src),
    );
    expect(images.find((i) => i.src === 'media/yalta.png')?.variants).toHaveLength(1);
  });

  it('an index entry the kiosk refuses costs only that picture its copies', async () => {
    await writeFile(path.join(dir, 'media', 'photo.png'), await png(2400, 1200));
    await buildContent(dir);
    const index = path.join(dir, VARIANTS_FILE);
    const good = JSON.parse(await readFile(index, 'utf8')) as Record<string, unknown>;
    await writeFile(
      index,
      JSON.stringify({
        ...good,
        'media/ялта.jpg': [{ src: 'media/_screen/ялта.1920.webp', width: 1920, height: 1280 }],
      }),
    );
    const loaded = await loadExhibit(dir);
    expect(loaded.ok && loaded.exhibit.chapters[0]!.images[0]!.variants).toHaveLength(1);
  });

  it('removes the screen copies of a plate deleted from the exhibit, which pack would otherwise ship', async () => {
    const gone = ['media/_screen/plates/old.1920.webp', 'media/_screen/plates/old.3840.webp'];
    for (const f of gone) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), 'webp');
    }
    await writeFile(path.join(dir, 'media', 'photo.png'), await png(2400, 1200));
    const result = await buildContent(dir);
    expect(result.removed.sort()).toEqual(gone);
    for (const f of gone) await expect(stat(path.join(dir, f))).rejects.toThrow();
    await stat(path.join(dir, variantPath('media/photo.png', 1920)));
  });

  it('plans only sizes smaller than the original', () => {
    expect(plannedEdges(800, 600)).toEqual([]);
    expect(plannedEdges(3000, 5000)).toEqual([1920, 3840]);
    expect(plannedEdges(1920, 1080)).toEqual([]);
  });
});
