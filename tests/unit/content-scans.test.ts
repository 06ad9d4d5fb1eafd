import { copyFile, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { buildContent, variantPath } from '../../main/content/build.js';
import { loadExhibit, VARIANTS_FILE } from '../../main/content/load.js';
import { IMAGE_LIMIT_WORDS, validateContent } from '../../main/content/validate.js';
import { captureOut, cleanup, exhibitYaml, makeContent, png, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

/** A camera-sized scan: 6000 × 4000 pixels, 92 MiB once decoded. */
const bigScan = (shade = 128) =>
  sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: shade, g: 90, b: 60 } } })
    .jpeg({ quality: 80 })
    .toBuffer();

const useScan = async (bytes: Buffer, name = 'scan.jpg') => {
  await writeFile(path.join(dir, 'media', name), bytes);
  await writeFile(path.join(dir, 'exhibit.yaml'), exhibitYaml({ src: `media/${name}` }));
};
const errors = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'error');

describe('publishing a large scan', { timeout: 60_000 }, () => {
  it('refuses a 6000×4000 scan without screen copies, stating the limit and the one command that fixes it', async () => {
    await useScan(await bigScan());
    const [problem, ...rest] = await errors();
    expect(rest).toEqual([]);
    expect(problem!.message).toContain('"media/scan.jpg" is 6000×4000 pixels: 92 MiB once decoded');
    expect(problem!.message).toContain(IMAGE_LIMIT_WORDS);
    expect(problem!.hint).toBe(
      `make its screen copies with: npm run content -- build ${dir} (your scan stays as it is)`,
    );
  });

  it('validates once build has made the copies, and the kiosk is given the copies and the size', async () => {
    await useScan(await bigScan());
    const before = await readFile(path.join(dir, 'exhibit.yaml'));
    const { out, stdout } = captureOut();
    expect(await runContentCli(['build', dir], out)).toBe(0);
    expect(stdout.join('\n')).toContain(
      'media/scan.jpg: made media/_screen/scan.1920.webp, media/_screen/scan.3840.webp',
    );
    // Build writes only its copies: the curator's file is byte for byte as it was.
    expect((await readFile(path.join(dir, 'exhibit.yaml'))).equals(before)).toBe(true);

    const report = await validateContent(dir);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.ok).toBe(true);

    const loaded = await loadExhibit(dir);
    if (!loaded.ok) throw new Error('did not load');
    const image = loaded.exhibit.chapters[0]!.images[0]!;
    expect(image).toMatchObject({ width: 6000, height: 4000 });
    // The renderer gets the copies only (the largest is what the viewer zooms), nothing about the original.
    expect(image.variants).toEqual([
      { src: 'media/_screen/scan.1920.webp', width: 1920, height: 1280 },
      { src: 'media/_screen/scan.3840.webp', width: 3840, height: 2560 },
    ]);
    const largest = await sharp(path.join(dir, variantPath('media/scan.jpg', 3840))).metadata();
    expect([largest.width, largest.height]).toEqual([3840, 2560]);
  });

  it('makes the copies again when the scan is replaced by a file with an older date (cp -p)', async () => {
    await useScan(await bigScan(40));
    await buildContent(dir);
    const copy = path.join(dir, variantPath('media/scan.jpg', 1920));
    const pixel = async () =>
      (
        await sharp(await readFile(copy))
          .raw()
          .toBuffer()
      )[0];
    expect(await pixel()).toBeLessThan(60);

    // A replacement that keeps the date of an older file, as `cp -p` from an archive does.
    const replacement = path.join(dir, 'replacement.jpg');
    await writeFile(replacement, await bigScan(220));
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(replacement, old, old);
    await copyFile(replacement, path.join(dir, 'media', 'scan.jpg'));
    await utimes(path.join(dir, 'media', 'scan.jpg'), old, old);
    await rm(replacement);
    expect((await stat(path.join(dir, 'media', 'scan.jpg'))).mtimeMs).toBeLessThan(
      (await stat(copy)).mtimeMs,
    );

    const [stale] = await errors();
    expect(stale!.message).toMatch(/the screen copies of "media\/scan\.jpg" were not made from this file/);
    expect(stale!.hint).toBe(`make them again with: npm run content -- build ${dir}`);

    const again = await buildContent(dir);
    expect(again.made.map((m) => m.src)).toEqual(['media/scan.jpg']);
    expect(await pixel()).toBeGreaterThan(200);
    expect(await errors()).toEqual([]);
    // Nothing changed: nothing is made again.
    expect((await buildContent(dir)).written).toBe(0);
  });

  it('treats copies indexed without a fingerprint (an older build) as not matching', async () => {
    await useScan(await bigScan());
    await buildContent(dir);
    const index = JSON.parse(await readFile(path.join(dir, VARIANTS_FILE), 'utf8')) as Record<
      string,
      Record<string, unknown>[]
    >;
    for (const list of Object.values(index)) for (const v of list) delete v.original;
    await writeFile(path.join(dir, VARIANTS_FILE), JSON.stringify(index));
    // Still read: the kiosk keeps its copies...
    const loaded = await loadExhibit(dir);
    expect(loaded.ok && loaded.exhibit.chapters[0]!.images[0]!.variants?.length).toBe(2);
    // ...but the check asks for them to be made again, and build does so.
    expect((await errors()).map((p) => p.hint)).toEqual([
      `make them again with: npm run content -- build ${dir}`,
    ]);
    expect((await buildContent(dir)).written).toBe(2);
    expect(await errors()).toEqual([]);
  });

  it('prints a line per picture while building when the output is not a terminal', async () => {
    await useScan(await bigScan());
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const isTTY = process.stderr.isTTY;
    Object.assign(process.stderr, { isTTY: false });
    process.stderr.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      expect(await runContentCli(['build', dir], captureOut().out)).toBe(0);
    } finally {
      process.stderr.write = write;
      Object.assign(process.stderr, { isTTY });
    }
    expect(lines).toContain('Making screen copies 1/1 media/scan.jpg\n');
  });
});

describe('pictures that are cut short or damaged', { timeout: 30_000 }, () => {
  const cut = (bytes: Buffer, keep: number) => bytes.subarray(0, Math.floor(bytes.length * keep));

  it('refuses a JPEG cut short by an interrupted copy, naming the file', async () => {
    const whole = await sharp({
      create: {
        width: 800,
        height: 600,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg()
      .toBuffer();
    await useScan(cut(whole, 0.6));
    const [problem, ...rest] = await errors();
    expect(rest).toEqual([]);
    // In the staff's words only: no decoder's own message.
    expect(problem!.message).toBe('"media/scan.jpg" is cut short or damaged');
    expect(problem!.hint).toMatch(/^copy it again from the original/);

    // build cannot copy it either, and says the same.
    const { out, stdout, stderr } = captureOut();
    expect(await runContentCli(['build', dir], out)).toBe(1);
    expect(stderr.join('\n')).toBe(
      'skipped media/scan.jpg: it is cut short or damaged: copy it again from the original',
    );
    // Not "nothing to resize": the picture was skipped, and build says so.
    expect(stdout.join('\n')).toContain('No screen copies made: one picture was skipped (below).');
  });

  it('refuses a damaged PNG and a damaged WebP', async () => {
    await useScan(cut(await png(300, 200), 0.8), 'plate.png');
    expect((await errors()).map((p) => p.message)).toEqual([
      expect.stringMatching(/^"media\/plate\.png" is cut short or damaged/),
    ]);
    const webp = await sharp(await png(300, 200))
      .webp()
      .toBuffer();
    await useScan(cut(webp, 0.7), 'plate.webp');
    expect((await errors()).map((p) => p.message)).toEqual([
      expect.stringMatching(/^"media\/plate\.webp" is cut short or damaged/),
    ]);
  });
});
