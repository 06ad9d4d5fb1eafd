/**
 * The bench's peer deck and scan maker: the deck carries the exhibit's own
 * chapters and loops by itself at the pace asked; its server serves the deck
 * and nothing outside it; a scan is a real JPEG of the size asked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { loadExhibit } from '../../main/content/load.js';
import { bundledExhibitDir } from '../../main/kiosk/paths.js';
import { backAtLevel, LIMITS, longestNarrationMs, type Counters } from '../../main/tools/bench-endurance.js';
import { deckHtml, serveStatic } from '../../main/tools/bench-peer.js';
import { scanJpeg } from '../../main/tools/bench-scans.js';

describe('the reveal.js peer deck', () => {
  it('has a title slide and one slide per chapter, advancing itself in a loop', async () => {
    const loaded = await loadExhibit(bundledExhibitDir());
    if (!loaded.ok) throw new Error('bundled exhibit does not load');
    const ex = loaded.exhibit;
    const first = ex.chapters.find((c) => c.images.length)!;
    const html = deckHtml(ex, new Map([[first.images[0]!.src, 'pictures/x.webp']]), 2000);
    expect(html.match(/<section/g)).toHaveLength(ex.chapters.length + 1);
    for (const c of ex.chapters) expect(html).toContain(c.title.en!.replace(/&/g, '&amp;'));
    expect(html).toContain('data-background-image="pictures/x.webp"');
    expect(html).toMatch(/autoSlide: 2000, loop: true/);
  });

  it('serves the deck folder and refuses paths outside it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-peer-test-'));
    await writeFile(path.join(dir, 'index.html'), '<p>deck</p>');
    const server = await serveStatic(dir);
    try {
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(await index.text()).toBe('<p>deck</p>');
      expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).toBe(403);
      expect((await fetch(`${server.url}missing.js`)).status).toBe(404);
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('scan-like pictures', () => {
  it('are JPEGs of the size asked, full of detail', async () => {
    const a = await scanJpeg(600, 400, 1);
    const meta = await sharp(a).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 600, 400]);
    // Grain keeps a scan from compressing like a flat placeholder: as a photograph, about half a byte a pixel.
    const flat = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#888' } })
      .jpeg({ quality: 90 })
      .toBuffer();
    expect(a.length).toBeGreaterThan(0.4 * 600 * 400);
    expect(a.length).toBeGreaterThan(20 * flat.length);
  });
});

describe('endurance: back at the level of the first visits', () => {
  const base: Counters = { visit: 7, heap: 10_000_000, nodes: 1000, listeners: 200, howls: 3 };
  it('accepts the same screen with a little noise', () => {
    expect(backAtLevel(base, { ...base, visit: 100, heap: base.heap + 500_000, nodes: 1010 }).ok).toBe(true);
  });
  it('rejects heap growth over 1 MB, more nodes or listeners, and Howls left alive', () => {
    expect(backAtLevel(base, { ...base, heap: base.heap + LIMITS.heapBytes + 1 }).why[0]).toMatch(
      /heap grew/,
    );
    expect(backAtLevel(base, { ...base, nodes: 1200 }).ok).toBe(false);
    expect(backAtLevel(base, { ...base, listeners: 260 }).ok).toBe(false);
    expect(backAtLevel(base, { ...base, howls: 4 }).why).toEqual(['live Howls 3 -> 4']);
  });
});

describe('endurance: a visitor who walks away mid-narration', () => {
  it('is let go when the longest narration of the bundled exhibit has ended, read from its captions', async () => {
    const loaded = await loadExhibit(bundledExhibitDir());
    if (!loaded.ok) throw new Error('the bundled exhibit does not load');
    const longest = longestNarrationMs(loaded.exhibit, bundledExhibitDir());
    // Every chapter is narrated for tens of seconds; the idle wait alone would call the kiosk stuck.
    expect(longest).toBeGreaterThan(20_000);
    expect(longest).toBeLessThan(5 * 60_000);
  });
});
