/**
 * Generates the placeholder plates that stand in for archival images until the
 * museum supplies its scans.
 *
 * Usage: `npx tsx main/tools/make-plates.ts [contentDir]` (default `assets/exhibit`).
 * Every image slot with `placeholder: true` and an `.svg` `src` gets a plate
 * written to that path: a catalogue card on a passe-partout that says in every
 * exhibit language that the scan is awaited, with the slot's caption, credit
 * and id. Fonts are subset to the plate's own text and embedded, so the plate
 * renders in PT Serif / PT Sans inside an `<img>` and stays crisp at any zoom.
 * Output is deterministic: the same exhibit gives the same bytes.
 *
 * Each plate also gets raster screen copies (`media/_screen/plates/*.webp`,
 * indexed like `content build`'s), drawn from the plate with its words as
 * glyph outlines: the kiosk shows those in the attract loop and the chapters,
 * where drawing the SVG would cost frames, and the vector plate in the viewer.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hb from 'harfbuzzjs';
import sharp from 'sharp';
import { VARIANT_EDGES, variantPath, type Variant } from '../content/build.js';
import { formatProblem, loadExhibit, readVariantIndex, VARIANTS_FILE } from '../content/load.js';
import { pick } from '../contract/exhibit.js';
import type { Exhibit, ImageSlot } from '../content/schema.js';

type SubsetFont = (
  font: Buffer,
  text: string | undefined,
  opts: { targetFormat: 'woff2' | 'truetype'; keepAllGlyphs?: boolean },
) => Promise<Buffer>;
// subset-font is CommonJS without type declarations.
const subsetFont = createRequire(import.meta.url)('subset-font') as SubsetFont;

/** Plate size in SVG user units (4:3). */
export const PLATE_WIDTH = 1600;
export const PLATE_HEIGHT = 1200;

/** The plain statement every plate carries, per language; English and Russian at least. */
export const AWAITING: Record<string, string> = {
  en: 'Awaiting the museum’s scan',
  ru: 'Ожидается скан из фонда музея',
};
const LABELS = {
  kind: { en: 'Placeholder plate', ru: 'Временная заглушка' },
  caption: { en: 'Caption', ru: 'Подпись' },
  credit: { en: 'Credit', ru: 'Источник' },
} satisfies Record<string, Record<string, string>>;

const INK = '#2a251d';
const INK_SOFT = '#5a4f3e';
const OXBLOOD = '#8c2f2b';
const MAT = '#e6dbc1';
const WINDOW = '#d3c5a5';
const CARD = '#f5eedd';
const RULE = '#8a7a5a';
/** The card must sit inside the window (1200 - 2 * 110) with a margin. */
const MAX_CARD_H = 900;
const CARD_X = 230;
const CARD_W = PLATE_WIDTH - 2 * CARD_X;

interface FaceSpec {
  family: 'PT Serif' | 'PT Sans';
  pkg: string;
  weight: 400 | 700;
}
const FACES = {
  serif: { family: 'PT Serif', pkg: 'pt-serif', weight: 400 },
  serifBold: { family: 'PT Serif', pkg: 'pt-serif', weight: 700 },
  sans: { family: 'PT Sans', pkg: 'pt-sans', weight: 400 },
  sansBold: { family: 'PT Sans', pkg: 'pt-sans', weight: 700 },
} satisfies Record<string, FaceSpec>;
type FaceKey = keyof typeof FACES;

// The same split @fontsource uses, so each character is drawn from the file that has it.
const SUBSETS = {
  cyrillic: 'U+0301,U+0400-045F,U+0490-0491,U+04B0-04B1,U+2116',
  latin:
    'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD',
} as const;
type SubsetName = keyof typeof SUBSETS;

function rangesOf(spec: string): [number, number][] {
  return spec.split(',').map((r) => {
    const [a, b] = r.replace('U+', '').split('-');
    const lo = parseInt(a!, 16);
    return [lo, b ? parseInt(b, 16) : lo];
  });
}
const SUBSET_RANGES = Object.fromEntries(Object.entries(SUBSETS).map(([k, v]) => [k, rangesOf(v)])) as Record<
  SubsetName,
  [number, number][]
>;

function subsetFor(ch: string): SubsetName {
  const cp = ch.codePointAt(0)!;
  return SUBSET_RANGES.cyrillic.some(([lo, hi]) => cp >= lo && cp <= hi) ? 'cyrillic' : 'latin';
}

const require = createRequire(import.meta.url);
function fontFile(face: FaceSpec, subset: SubsetName): string {
  return require.resolve(`@fontsource/${face.pkg}/files/${face.pkg}-${subset}-${face.weight}-normal.woff2`);
}

/** One text span drawn on the plate. */
export interface Span {
  text: string;
  face: FaceKey;
  size: number;
  x: number;
  y: number;
  fill: string;
  anchor?: 'start' | 'middle' | 'end';
  letterSpacing?: number;
}

/** Measures text with the real font (HarfBuzz shaping), so wrapping matches what the browser draws. */
export class Measurer {
  #fonts = new Map<string, { font: hb.Font; upem: number }>();

  /** Loads every face in both subsets; call once before measuring. */
  async load(): Promise<void> {
    for (const face of Object.keys(FACES) as FaceKey[]) {
      for (const subset of Object.keys(SUBSETS) as SubsetName[]) {
        const woff2 = await readFile(fontFile(FACES[face], subset));
        const ttf = await subsetFont(woff2, undefined, { targetFormat: 'truetype', keepAllGlyphs: true });
        const hbFace = new hb.Face(new hb.Blob(new Uint8Array(ttf)));
        this.#fonts.set(`${face}/${subset}`, { font: new hb.Font(hbFace), upem: hbFace.upem });
      }
    }
  }

  /** `text` shaped in `face` at `size` px: each run's glyphs, with the px per font unit. */
  #shape(text: string, face: FaceKey, size: number) {
    return runs(text).map((run) => {
      const f = this.#fonts.get(`${face}/${run.subset}`);
      if (!f) throw new Error(`font ${face}/${run.subset} is not loaded`);
      const buf = new hb.Buffer();
      buf.addText(run.text);
      buf.guessSegmentProperties();
      hb.shape(f.font, buf);
      return { font: f.font, scale: size / f.upem, glyphs: buf.getGlyphInfosAndPositions() };
    });
  }

  /** Width in px of `text` set in `face` at `size` px, with `letterSpacing` px after each character. */
  width(text: string, face: FaceKey, size: number, letterSpacing = 0): number {
    let px = 0;
    for (const run of this.#shape(text, face, size)) {
      for (const g of run.glyphs) px += (g.xAdvance ?? 0) * run.scale;
    }
    return px + letterSpacing * [...text].length;
  }

  /**
   * A span's glyphs as SVG paths, placed as the browser places its text: for
   * renderers that cannot load the plate's embedded fonts (librsvg, making the
   * raster screen copies).
   */
  outline(s: Span): string {
    const paths: string[] = [];
    const w = this.width(s.text, s.face, s.size, s.letterSpacing);
    let pen = s.anchor === 'end' ? s.x - w : s.anchor === 'middle' ? s.x - w / 2 : s.x;
    for (const run of this.#shape(s.text, s.face, s.size)) {
      const k = run.scale;
      for (const g of run.glyphs) {
        const d = run.font.glyphToPath(g.codepoint);
        const x = pen + (g.xOffset ?? 0) * k;
        const y = s.y - (g.yOffset ?? 0) * k;
        // Font units are y-up; the plate is y-down.
        if (d) paths.push(`<path transform="matrix(${n4(k)} 0 0 ${n4(-k)} ${n(x)} ${n(y)})" d="${d}"/>`);
        // Spans with letter spacing are capitals, one glyph per character, as the width assumes.
        pen += (g.xAdvance ?? 0) * k + (s.letterSpacing ?? 0);
      }
    }
    return `<g fill="${s.fill}">${paths.join('')}</g>`;
  }

  /** Greedy word wrap to `maxWidth`; a single over-long word gets a line of its own. */
  wrap(text: string, face: FaceKey, size: number, maxWidth: number): string[] {
    const words: string[] = [];
    for (const word of text.split(/\s+/).filter(Boolean)) {
      // Keep "24 августа", "1945 года" and "№ 32" together, as typesetters do.
      const prev = words.at(-1);
      if (prev !== undefined && /(?:^|\s)(?:\d+|№)$/.test(prev)) words[words.length - 1] = `${prev} ${word}`;
      else words.push(word);
    }
    const lines: string[] = [];
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && this.width(candidate, face, size) > maxWidth) {
        lines.push(line);
        line = word;
      } else line = candidate;
    }
    if (line) lines.push(line);
    return lines;
  }
}

function runs(text: string): { text: string; subset: SubsetName }[] {
  const out: { text: string; subset: SubsetName }[] = [];
  for (const ch of text) {
    const subset = subsetFor(ch);
    const last = out.at(-1);
    if (last && last.subset === subset) last.text += ch;
    else out.push({ text: ch, subset });
  }
  return out;
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const n = (v: number) => String(Math.round(v * 100) / 100);
const n4 = (v: number) => String(Math.round(v * 10000) / 10000);

/** Where everything on a plate goes. */
export interface PlateLayout {
  spans: Span[];
  /** Accessible name: the "awaiting" line and the caption. */
  title: string;
  ruleY: number;
  cardY: number;
  cardH: number;
}

/** A block of wrapped lines in one face. */
interface Block {
  lines: string[];
  face: FaceKey;
  size: number;
  lineHeight: number;
  fill: string;
}

/** Texts of a slot in the plate's languages, English and Russian first. */
function plateLanguages(exhibit: Exhibit): string[] {
  const langs = [...exhibit.settings.languages];
  return langs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
function rank(lang: string): number {
  return lang === 'en' ? 0 : lang === 'ru' ? 1 : 2;
}
function label(key: keyof typeof LABELS, langs: string[]): string {
  const table: Record<string, string> = LABELS[key];
  return [...new Set(langs.map((l) => table[l] ?? table.en!))].join(' · ');
}

/**
 * Draws one plate. `langs` are the languages whose caption and credit appear
 * (those in the exhibit); the "awaiting" line always appears in English and
 * Russian at least, so staff and visitors in either language can read it.
 */
export function layoutPlate(slot: ImageSlot, langs: string[], m: Measurer): PlateLayout {
  const pad = 64;
  const textX = CARD_X + pad;
  const textW = CARD_W - 2 * pad;
  const spans: Span[] = [];

  const awaitLangs = [...new Set(['en', 'ru', ...langs])].filter((l) => AWAITING[l]);
  const texts = (t: Record<string, string>) => [...new Set(langs.map((l) => pick(t, l)).filter(Boolean))];

  const awaitCount = awaitLangs.length;
  const captions = texts(slot.caption);
  const credits = texts(slot.credit);
  const gapAfterAwait = 36;
  const labelH = 44;
  const gapBetween = 14;
  const gapSection = 30;
  const headerH = 96;
  const footerH = 92;

  // Shrink the caption until the card fits inside the plate's window.
  let blocks: Block[] = [];
  let cardH = 0;
  for (let capSize = 34; capSize >= 18; capSize -= 2) {
    blocks = [];
    for (const [i, text] of awaitLangs.map((l) => AWAITING[l]!).entries()) {
      const size = i === 0 ? 62 : 54;
      blocks.push({
        lines: m.wrap(text, 'serifBold', size, textW),
        face: 'serifBold',
        size,
        lineHeight: size * 1.2,
        fill: OXBLOOD,
      });
    }
    for (const [i, text] of captions.entries()) {
      const size = i === 0 ? capSize : capSize - 2;
      blocks.push({
        lines: m.wrap(text, 'serif', size, textW),
        face: 'serif',
        size,
        lineHeight: size * 1.32,
        fill: i === 0 ? INK : INK_SOFT,
      });
    }
    for (const text of credits) {
      const size = Math.min(26, capSize - 6);
      blocks.push({
        lines: m.wrap(text, 'sans', size, textW),
        face: 'sans',
        size,
        lineHeight: size * 1.3,
        fill: INK,
      });
    }
    const textH = blocks.reduce((h, b) => h + b.lines.length * b.lineHeight, 0);
    const bodyH =
      textH +
      gapAfterAwait +
      labelH +
      gapBetween * (captions.length - 1) +
      gapSection +
      labelH +
      gapBetween * (credits.length - 1);
    cardH = Math.max(720, headerH + 40 + bodyH + 40 + footerH);
    if (cardH <= MAX_CARD_H) break;
  }
  // A caption too long even at the smallest size is cut, longest language first, and marked so.
  const captionBlocks = blocks.slice(awaitCount, awaitCount + captions.length);
  while (cardH > MAX_CARD_H) {
    const longest = captionBlocks.reduce((a, b) => (b.lines.length > a.lines.length ? b : a));
    if (longest.lines.length <= 1) break;
    longest.lines.pop();
    cardH -= longest.lineHeight;
    const lastLine = longest.lines.length - 1;
    let cut = `${longest.lines[lastLine]!} …`;
    while (m.width(cut, longest.face, longest.size) > textW) cut = `${cut.slice(0, -3).trimEnd()} …`;
    longest.lines[lastLine] = cut;
  }
  const cardY = (PLATE_HEIGHT - cardH) / 2;

  // Header: kind of object on the left, slot id on the right, as on a catalogue card.
  spans.push({
    text: label('kind', awaitLangs).toUpperCase(),
    face: 'sansBold',
    size: 22,
    x: textX,
    y: cardY + 58,
    fill: INK_SOFT,
    letterSpacing: 3,
  });
  spans.push({
    text: `№ ${slot.id}`,
    face: 'sans',
    size: 24,
    x: CARD_X + CARD_W - pad,
    y: cardY + 58,
    fill: INK_SOFT,
    anchor: 'end',
  });

  let y = cardY + headerH + 40;
  const emit = (b: Block) => {
    for (const line of b.lines) {
      y += b.size + (b.lineHeight - b.size) / 2;
      spans.push({ text: line, face: b.face, size: b.size, x: textX, y, fill: b.fill });
      y += (b.lineHeight - b.size) / 2;
    }
  };
  const labelLine = (key: keyof typeof LABELS) => {
    y += 30;
    spans.push({
      text: label(key, langs).toUpperCase(),
      face: 'sansBold',
      size: 19,
      x: textX,
      y,
      fill: OXBLOOD,
      letterSpacing: 2.5,
    });
    y += labelH - 30;
  };
  blocks.slice(0, awaitCount).forEach(emit);
  y += gapAfterAwait;
  const ruleY = y - 6;
  labelLine('caption');
  blocks.slice(awaitCount, awaitCount + captions.length).forEach((b, i) => {
    if (i > 0) y += gapBetween;
    emit(b);
  });
  y += gapSection;
  labelLine('credit');
  blocks.slice(awaitCount + captions.length).forEach((b, i) => {
    if (i > 0) y += gapBetween;
    emit(b);
  });

  spans.push({
    text: slot.src,
    face: 'sans',
    size: 20,
    x: textX,
    y: cardY + cardH - 40,
    fill: INK_SOFT,
  });
  spans.push({
    text: 'Vitrine',
    face: 'sansBold',
    size: 20,
    x: CARD_X + CARD_W - pad,
    y: cardY + cardH - 40,
    fill: INK_SOFT,
    anchor: 'end',
    letterSpacing: 3,
  });

  const title = `${awaitLangs.map((l) => AWAITING[l]).join(' / ')}: ${texts(slot.caption).join(' / ')}`;
  return { spans, title, ruleY, cardY, cardH };
}

async function fontFaces(spans: Span[]): Promise<string> {
  const css: string[] = [];
  for (const face of Object.keys(FACES) as FaceKey[]) {
    const chars = new Map<SubsetName, Set<string>>();
    for (const s of spans) {
      if (s.face !== face || !s.text) continue;
      for (const ch of s.text) {
        const sub = subsetFor(ch);
        if (!chars.has(sub)) chars.set(sub, new Set());
        chars.get(sub)!.add(ch);
      }
    }
    for (const subset of Object.keys(SUBSETS) as SubsetName[]) {
      const set = chars.get(subset);
      if (!set) continue;
      const text = [...set].sort().join('');
      const woff2 = await subsetFont(await readFile(fontFile(FACES[face], subset)), text, {
        targetFormat: 'woff2',
      });
      const spec = FACES[face];
      css.push(
        `@font-face{font-family:'${spec.family}';font-style:normal;font-weight:${spec.weight};` +
          `src:url(data:font/woff2;base64,${woff2.toString('base64')}) format('woff2');` +
          `unicode-range:${SUBSETS[subset]}}`,
      );
    }
  }
  return css.join('\n');
}

function drawText(s: Span): string {
  const spec = FACES[s.face];
  const family = spec.family === 'PT Serif' ? `'PT Serif',Georgia,serif` : `'PT Sans',Arial,sans-serif`;
  const attrs = [
    `x="${n(s.x)}"`,
    `y="${n(s.y)}"`,
    `font-family="${esc(family)}"`,
    `font-size="${n(s.size)}"`,
    `font-weight="${spec.weight}"`,
    `fill="${s.fill}"`,
  ];
  if (s.anchor && s.anchor !== 'start') attrs.push(`text-anchor="${s.anchor}"`);
  if (s.letterSpacing) attrs.push(`letter-spacing="${n(s.letterSpacing)}"`);
  return `<text ${attrs.join(' ')}>${esc(s.text)}</text>`;
}

/** Photo corners, as in an album, at each corner of the empty window. */
function corners(x: number, y: number, w: number, h: number, size: number): string {
  const c = (px: number, py: number, dx: number, dy: number) =>
    `<path d="M${n(px)} ${n(py)}h${n(dx * size)}L${n(px)} ${n(py + dy * size)}Z"/>`;
  return [c(x, y, 1, 1), c(x + w, y, -1, 1), c(x, y + h, 1, -1), c(x + w, y + h, -1, -1)].join('');
}

/** How a plate's words are drawn: as text with its fonts embedded, or as glyph outlines. */
type TextMode = 'text' | 'outlines';

/**
 * Renders the SVG of one plate. As `text` (what the kiosk shows and zooms) the
 * words stay text in their embedded fonts; as `outlines` they are glyph
 * paths, for rasterisers that cannot load embedded fonts.
 */
export async function renderPlate(
  slot: ImageSlot,
  langs: string[],
  m: Measurer,
  mode: TextMode = 'text',
): Promise<string> {
  const { spans, title, ruleY, cardY, cardH } = layoutPlate(slot, langs, m);
  const win = { x: 120, y: 110, w: PLATE_WIDTH - 240, h: PLATE_HEIGHT - 220 };
  const text = mode === 'text';
  const fonts = text ? [`<style>\n${await fontFaces(spans)}\n</style>`] : [];
  const words = text
    ? [`<g text-rendering="geometricPrecision">`, ...spans.map(drawText), `</g>`]
    : spans.map((span) => m.outline(span));

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${PLATE_WIDTH} ${PLATE_HEIGHT}" width="${PLATE_WIDTH}" height="${PLATE_HEIGHT}" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    ...fonts,
    `<defs>`,
    `<radialGradient id="paper" cx="50%" cy="45%" r="75%"><stop offset="0" stop-color="#ece2ca"/><stop offset="1" stop-color="${MAT}"/></radialGradient>`,
    `<pattern id="hatch" width="22" height="22" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="22" height="22" fill="${WINDOW}"/><line x1="0" y1="0" x2="0" y2="22" stroke="#c8b995" stroke-width="2"/></pattern>`,
    `</defs>`,
    // Passe-partout with a fine double rule.
    `<rect width="${PLATE_WIDTH}" height="${PLATE_HEIGHT}" fill="url(#paper)"/>`,
    `<rect x="26" y="26" width="${PLATE_WIDTH - 52}" height="${PLATE_HEIGHT - 52}" fill="none" stroke="${RULE}" stroke-width="2"/>`,
    `<rect x="36" y="36" width="${PLATE_WIDTH - 72}" height="${PLATE_HEIGHT - 72}" fill="none" stroke="${RULE}" stroke-width="0.75"/>`,
    // The empty window where the scan will go: hatched, so it never reads as a photograph.
    `<rect x="${win.x}" y="${win.y}" width="${win.w}" height="${win.h}" fill="url(#hatch)" stroke="#6f6045" stroke-width="2.5"/>`,
    `<rect x="${win.x + 8}" y="${win.y + 8}" width="${win.w - 16}" height="${win.h - 16}" fill="none" stroke="#b8a883" stroke-width="1"/>`,
    `<g fill="#4a3f30">${corners(win.x + 14, win.y + 14, win.w - 28, win.h - 28, 54)}</g>`,
    // Catalogue card.
    `<rect x="${CARD_X + 6}" y="${n(cardY + 8)}" width="${CARD_W}" height="${n(cardH)}" fill="#000" fill-opacity="0.12"/>`,
    `<rect x="${CARD_X}" y="${n(cardY)}" width="${CARD_W}" height="${n(cardH)}" fill="${CARD}" stroke="${RULE}" stroke-width="1.5"/>`,
    `<line x1="${CARD_X}" y1="${n(cardY + 86)}" x2="${CARD_X + CARD_W}" y2="${n(cardY + 86)}" stroke="${OXBLOOD}" stroke-width="2"/>`,
    `<line x1="${CARD_X + 64}" y1="${n(ruleY)}" x2="${CARD_X + CARD_W - 64}" y2="${n(ruleY)}" stroke="${RULE}" stroke-width="1"/>`,
    `<line x1="${CARD_X}" y1="${n(cardY + cardH - 76)}" x2="${CARD_X + CARD_W}" y2="${n(cardY + cardH - 76)}" stroke="${RULE}" stroke-width="0.75"/>`,
    `<circle cx="${PLATE_WIDTH / 2}" cy="${n(cardY + cardH - 38)}" r="13" fill="${WINDOW}" stroke="${RULE}" stroke-width="1"/>`,
    ...words,
    `</svg>`,
  ];
  return parts.join('\n') + '\n';
}

/** The placeholder slots of an exhibit whose plate this tool writes. */
export function placeholderSlots(exhibit: Exhibit): ImageSlot[] {
  return exhibit.chapters.flatMap((c) => c.images).filter((i) => i.placeholder && i.src.endsWith('.svg'));
}

/** What {@link makePlates} makes besides the plates themselves. */
export interface MakePlatesOptions {
  /** Raster screen copies of each plate (default true); tests of the SVG alone skip them. */
  screenCopies?: boolean;
}

/**
 * Renders a plate's raster screen copies, one per {@link VARIANT_EDGES} edge:
 * the kiosk shows these, since drawing the SVG (parsing it, laying out its
 * text, rasterising it full-screen) costs a slow machine a frame or more
 * each time a plate appears. The SVG stays the original, kept for zooming.
 */
export async function writeScreenCopies(
  contentDir: string,
  slot: ImageSlot,
  outlined: string,
): Promise<Variant[]> {
  const copies: Variant[] = [];
  for (const edge of VARIANT_EDGES) {
    const variant = {
      src: variantPath(slot.src, edge),
      width: edge,
      height: (edge * PLATE_HEIGHT) / PLATE_WIDTH,
    };
    const out = path.join(contentDir, variant.src);
    await mkdir(path.dirname(out), { recursive: true });
    // SVG is drawn at 72 dpi: this density makes the plate exactly `edge` pixels wide.
    await sharp(Buffer.from(outlined), { density: (72 * edge) / PLATE_WIDTH })
      .webp({ quality: 82 })
      .toFile(out);
    copies.push(variant);
  }
  return copies;
}

/** The plate's copies when every one is on disk at its size, else undefined. */
async function existingCopies(contentDir: string, slot: ImageSlot): Promise<Variant[] | undefined> {
  const copies: Variant[] = [];
  for (const edge of VARIANT_EDGES) {
    const src = variantPath(slot.src, edge);
    const meta = await sharp(path.join(contentDir, src))
      .metadata()
      .catch(() => undefined);
    if (meta?.width !== edge) return undefined;
    copies.push({ src, width: edge, height: meta.height });
  }
  return copies;
}

/** Records the plates' screen copies in the variant index, keeping every other entry. */
async function indexCopies(contentDir: string, copies: Record<string, Variant[]>): Promise<void> {
  const file = path.join(contentDir, VARIANTS_FILE);
  const merged = Object.fromEntries(
    Object.entries({ ...(await readVariantIndex(contentDir)), ...copies }).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
  );
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`);
}

/**
 * Writes a plate for every placeholder slot of the exhibit in `contentDir`,
 * and its screen copies. Returns the plates' paths, relative to `contentDir`.
 */
export async function makePlates(contentDir: string, options: MakePlatesOptions = {}): Promise<string[]> {
  const result = await loadExhibit(contentDir);
  if (!result.ok) {
    throw new Error(`the exhibit does not validate:\n${result.problems.map(formatProblem).join('\n')}`);
  }
  const measurer = new Measurer();
  await measurer.load();
  const langs = plateLanguages(result.exhibit);
  const written: string[] = [];
  const copies: Record<string, Variant[]> = {};
  for (const slot of placeholderSlots(result.exhibit)) {
    const svg = await renderPlate(slot, langs, measurer);
    const out = path.join(contentDir, slot.src);
    const unchanged = (await readFile(out, 'utf8').catch(() => '')) === svg;
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, svg);
    written.push(slot.src);
    if (!(options.screenCopies ?? true)) continue;
    // A plate whose every word and place is as before keeps its copies: rendering them is slow.
    const kept = unchanged ? await existingCopies(contentDir, slot) : undefined;
    copies[slot.src] =
      kept ??
      (await writeScreenCopies(contentDir, slot, await renderPlate(slot, langs, measurer, 'outlines')));
  }
  if (Object.keys(copies).length) await indexCopies(contentDir, copies);
  return written;
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const dir = process.argv[2] ?? 'assets/exhibit';
  makePlates(dir).then(
    (written) => {
      for (const w of written) console.log(`wrote ${path.join(dir, w)}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    },
  );
}
