/**
 * The bench's peer: the same chapters as a reveal.js 6 deck, as a museum
 * might otherwise put them on a screen (a looping, self-advancing slide show),
 * and a tiny static file server for it. The deck shows the exhibit's title,
 * then one slide per chapter with its title, summary and first paragraph over
 * the chapter's first picture: the same screen copy the kiosk shows.
 */
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { readVariantIndex } from '../content/load.js';
import type { Exhibit } from '../content/schema.js';
import { pick } from '../contract/exhibit.js';

/** A deck on disk. */
export interface PeerDeck {
  dir: string;
  /** Number of slides in one loop. */
  slides: number;
  remove(): Promise<void>;
}

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The deck's `index.html`: reveal.js with `autoSlide` every `autoSlideMs` and
 * `loop`, at the kiosk's 1920x1080, one slide per chapter. `pictures` maps an
 * image's `src` to the deck-relative file of its screen copy.
 */
export function deckHtml(exhibit: Exhibit, pictures: Map<string, string>, autoSlideMs: number): string {
  const lang = exhibit.settings.defaultLanguage;
  const sections = [
    `<section><h1>${escape(pick(exhibit.title, lang))}</h1><p>${escape(pick(exhibit.subtitle, lang))}</p></section>`,
    ...exhibit.chapters.map((c) => {
      const image = c.images[0];
      const bg = image && pictures.get(image.src);
      const attrs = bg
        ? ` data-background-image="${escape(bg)}" data-background-size="cover" data-background-opacity="0.55"`
        : '';
      return `<section${attrs}><h2>${escape(pick(c.title, lang))}</h2><p><strong>${escape(pick(c.summary, lang))}</strong></p><p class="body">${escape(pick(c.body[0], lang))}</p></section>`;
    }),
  ];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(pick(exhibit.title, lang))}</title>
<link rel="stylesheet" href="reveal.css">
<link rel="stylesheet" href="black.css">
<style>.reveal .body { font-size: 0.6em; text-align: left; }</style>
</head>
<body>
<div class="reveal"><div class="slides">
${sections.join('\n')}
</div></div>
<script src="reveal.js"></script>
<script>
Reveal.initialize({ autoSlide: ${autoSlideMs}, loop: true, hash: false, controls: true, progress: true,
  transition: 'slide', width: 1920, height: 1080, margin: 0.04 });
</script>
</body>
</html>
`;
}

/**
 * Writes the deck for `exhibit` (its pictures taken from `contentDir`'s
 * screen copies, the 1920 px ones the kiosk shows at 1080p) into a temporary folder.
 */
export async function buildPeerDeck(
  exhibit: Exhibit,
  contentDir: string,
  autoSlideMs: number,
): Promise<PeerDeck> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vitrine-bench-peer-'));
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('reveal.js'));
  await copyFile(path.join(dist, 'reveal.js'), path.join(dir, 'reveal.js'));
  await copyFile(path.join(dist, 'reveal.css'), path.join(dir, 'reveal.css'));
  await copyFile(path.join(dist, 'theme/black.css'), path.join(dir, 'black.css'));
  const pictures = new Map<string, string>();
  const index = await readVariantIndex(contentDir);
  await mkdir(path.join(dir, 'pictures'));
  for (const chapter of exhibit.chapters) {
    const image = chapter.images[0];
    if (!image) continue;
    const copies = index[image.src] ?? [];
    const copy = copies.find((v) => Math.max(v.width, v.height) <= 1920) ?? copies[0];
    const from = copy?.src ?? image.src;
    const name = `${image.id}${path.extname(from)}`;
    await copyFile(path.join(contentDir, from), path.join(dir, 'pictures', name));
    pictures.set(image.src, `pictures/${name}`);
  }
  await writeFile(path.join(dir, 'index.html'), deckHtml(exhibit, pictures, autoSlideMs));
  return {
    dir,
    slides: exhibit.chapters.length + 1,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` read-only on 127.0.0.1 at a free port. */
export async function serveStatic(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const rel =
      decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(dir, rel);
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    stat(file).then(
      (s) => {
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-length': s.size,
        });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
