/**
 * A scan-like copy of the bundled exhibit for the benches: every image slot's
 * placeholder plate is replaced by a large JPEG with the detail of a real
 * photograph (film-grain noise over smooth tonal gradients, which compress as
 * badly as a 24 MP scan does), and the copy is run through `content build`,
 * the same function `npm run content -- build` calls, so the kiosk shows the
 * screen copies it makes, as it would a museum's scans.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { isMap, isSeq, parseDocument } from 'yaml';
import { buildContent } from '../content/build.js';
import { loadExhibit } from '../content/load.js';
import type { Exhibit } from '../content/schema.js';
import { bundledExhibitDir } from '../kiosk/paths.js';

/** Pixel size of a 24-megapixel photograph, landscape. */
export const SCAN_SIZE = { width: 6000, height: 4000 } as const;

/** What {@link makeScanExhibit} made. */
export interface ScanExhibit {
  /** The content folder (a temporary copy of the bundled exhibit). */
  dir: string;
  exhibit: Exhibit;
  /** Media paths of the scans, one per image slot. */
  scans: string[];
  /** Total bytes of the scans written. */
  bytes: number;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** A small seeded pseudo-random generator: every run draws the same tonal layout (the grain is libvips'). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One scan-like JPEG: a coarse random colour field enlarged into smooth
 * gradients (sky, walls, faces), overlaid with Gaussian grain, at quality 90
 * as a digitisation studio would deliver it.
 */
export async function scanJpeg(width: number, height: number, seed: number): Promise<Buffer> {
  const rnd = mulberry32(seed);
  const cw = 12;
  const ch = 8;
  const coarse = Buffer.alloc(cw * ch * 3);
  // Sepia-ish tones with some spread, like an archival print.
  for (let i = 0; i < cw * ch; i++) {
    const v = 40 + rnd() * 180;
    coarse[i * 3] = Math.min(255, v * (1 + rnd() * 0.2));
    coarse[i * 3 + 1] = v;
    coarse[i * 3 + 2] = v * (0.7 + rnd() * 0.2);
  }
  const base = await sharp(coarse, { raw: { width: cw, height: ch, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .raw()
    .toBuffer();
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 36 },
    },
  })
    .raw()
    .toBuffer();
  return sharp(base, { raw: { width, height, channels: 3 } })
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Copies the bundled exhibit to a temporary folder, puts a scan-like JPEG of
 * `size` in every image slot (`media/scans/<id>.jpg`, no longer a
 * placeholder) and builds its screen copies with `content build`.
 */
export async function makeScanExhibit(
  size: { width: number; height: number } = SCAN_SIZE,
  log: (line: string) => void = () => {},
): Promise<ScanExhibit> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-scans-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(bundledExhibitDir(), dir, { recursive: true });
    // The plates' copies are not the scans': drop them so only what `content build` makes is served.
    await rm(path.join(dir, 'media/_screen'), { recursive: true, force: true });
    const yamlPath = path.join(dir, 'exhibit.yaml');
    const doc = parseDocument(await readFile(yamlPath, 'utf8'));
    const scans: string[] = [];
    const chapters = doc.get('chapters');
    if (!isSeq(chapters)) throw new Error('bench: exhibit.yaml has no chapters list');
    for (const chapter of chapters.items) {
      if (!isMap(chapter)) continue;
      const images = chapter.get('images');
      if (!isSeq(images)) continue;
      for (const image of images.items) {
        if (!isMap(image)) continue;
        const src = `media/scans/${String(image.get('id'))}.jpg`;
        image.set('src', src);
        image.set('placeholder', false);
        // The size comes from the new file; `content build` fills it in.
        image.delete('width');
        image.delete('height');
        scans.push(src);
      }
    }
    await writeFile(yamlPath, doc.toString());
    await mkdir(path.join(dir, 'media/scans'), { recursive: true });
    let bytes = 0;
    for (const [i, src] of scans.entries()) {
      const jpeg = await scanJpeg(size.width, size.height, 1000 + i);
      bytes += jpeg.length;
      await writeFile(path.join(dir, src), jpeg);
      log(`scan ${i + 1}/${scans.length}: ${src} (${(jpeg.length / 1e6).toFixed(1)} MB)`);
    }
    const built = await buildContent(dir);
    if (built.skipped.length) {
      throw new Error(
        `bench: content build skipped ${built.skipped.map((s) => `${s.src}: ${s.reason}`).join('; ')}`,
      );
    }
    const loaded = await loadExhibit(dir);
    if (!loaded.ok) throw new Error(`bench: the scan exhibit does not load: ${loaded.problems[0]?.message}`);
    return { dir, exhibit: loaded.exhibit, scans, bytes, remove };
  } catch (err) {
    await remove();
    throw err;
  }
}
