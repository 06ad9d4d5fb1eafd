/**
 * The bundled placeholder narration matches the exhibit: every chapter in every language
 * has audio and captions, the captions are the chapter's own words in order (what the
 * synthesiser was given), and they run exactly as long as the audio.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseCaptions } from '../../src/lib/audio/captions.js';

const DIR = fileURLToPath(new URL('../../assets/exhibit/', import.meta.url));
const NARRATION = join(DIR, 'media/narration');

type Text = Record<string, string>;
interface Entry {
  audio: string;
  captions: string;
  credit: Text;
}
const exhibit = parse(readFileSync(join(DIR, 'exhibit.yaml'), 'utf8')) as {
  settings?: { languages?: string[] };
  chapters: { id: string; title: Text; body: Text[]; narration?: Record<string, Entry> }[];
};
const langs = exhibit.settings?.languages ?? ['en'];
const map = JSON.parse(readFileSync(join(NARRATION, 'narration.json'), 'utf8')) as Record<
  string,
  Record<string, Entry>
>;

/** Length of an Ogg Vorbis file: the last page's granule position over the sample rate. */
function oggSeconds(file: string): number {
  const buf = readFileSync(file);
  const id = buf.indexOf(Buffer.from('\x01vorbis', 'latin1'));
  if (id < 0) throw new Error(`${file} is not Ogg Vorbis`);
  const rate = buf.readUInt32LE(id + 7 + 4 + 1);
  const last = buf.lastIndexOf(Buffer.from('OggS', 'latin1'));
  return Number(buf.readBigInt64LE(last + 6)) / rate;
}

const words = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('bundled narration', () => {
  for (const chapter of exhibit.chapters) {
    for (const lang of langs) {
      it(`${chapter.id} (${lang}): captions are the chapter's words, timed to the audio`, async () => {
        const entry = map[chapter.id]?.[lang];
        expect(entry, 'run npx tsx main/tools/make-narration.ts').toBeDefined();
        const audio = join(DIR, entry!.audio);
        const vtt = join(DIR, entry!.captions);
        expect(existsSync(audio) && existsSync(vtt)).toBe(true);

        const cues = await parseCaptions(readFileSync(vtt, 'utf8'));
        const spoken = [chapter.title[lang], ...chapter.body.map((p) => p[lang])].map((s) => words(s ?? ''));
        expect(words(cues.map((c) => c.text).join(' '))).toBe(spoken.join(' '));

        for (const [i, c] of cues.entries()) {
          expect(c.end).toBeGreaterThan(c.start);
          if (i > 0) expect(c.start).toBeGreaterThanOrEqual(cues[i - 1]!.end - 1e-3);
        }
        // A caption reads in a couple of lines, not a paragraph.
        expect(Math.max(...cues.map((c) => c.text.length))).toBeLessThanOrEqual(140);
        expect(cues.at(-1)!.end).toBeCloseTo(oggSeconds(audio), 1);
        expect(entry!.credit.en).toMatch(/synthetic placeholder/i);
        expect(entry!.credit.ru).toBeTruthy();
      });
    }
  }

  it('matches the narration entries written into exhibit.yaml, where there are any', () => {
    for (const chapter of exhibit.chapters) {
      if (!chapter.narration) continue;
      for (const lang of langs) {
        const { audio, captions, credit } = map[chapter.id]![lang]!;
        expect(chapter.narration[lang]).toEqual({ audio, captions, credit });
      }
    }
  });

  it('stays small: mono, low bitrate, under 15 MB in all', () => {
    const total = readdirSync(NARRATION).reduce((sum, f) => sum + statSync(join(NARRATION, f)).size, 0);
    expect(total).toBeLessThan(15 * 1024 * 1024);
    for (const f of readdirSync(NARRATION).filter((n) => n.endsWith('.ogg'))) {
      const buf = readFileSync(join(NARRATION, f));
      const id = buf.indexOf(Buffer.from('\x01vorbis', 'latin1'));
      expect(buf[id + 7 + 4], `${f} channels`).toBe(1);
    }
  });
});
