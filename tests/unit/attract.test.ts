import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Exhibit } from '../../main/content/schema.js';
import { parseExhibit } from '../../main/content/load.js';
import { attractSlides } from '../../src/lib/attract.js';

/** The bundled exhibit, freshly parsed so each test may mark parts of it sensitive. */
function bundled(): Exhibit {
  const text = readFileSync(new URL('../../assets/exhibit/exhibit.yaml', import.meta.url), 'utf8');
  const result = parseExhibit(text);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.exhibit;
}

const illustrated = (e: Exhibit) => e.chapters.findIndex((c) => c.images.length > 0);

describe('attract loop slides', () => {
  it('shows every chapter, in order, with its first picture, when nothing is sensitive', () => {
    const exhibit = bundled();
    const slides = attractSlides(exhibit);
    expect(slides.map((s) => s.chapter.id)).toEqual(exhibit.chapters.map((c) => c.id));
    expect(slides.map((s) => s.number)).toEqual(exhibit.chapters.map((_, i) => i + 1));
    for (const s of slides) expect(s.image).toBe(s.chapter.images[0]);
  });

  it('never runs a sensitive chapter unattended, and numbers the others as Home does', () => {
    const exhibit = bundled();
    const hidden = exhibit.chapters[illustrated(exhibit)]!;
    hidden.sensitive = true;
    exhibit.chapters[0]!.sensitive = true;

    const slides = attractSlides(exhibit);
    const ids = slides.map((s) => s.chapter.id);
    expect(ids).not.toContain(hidden.id);
    expect(ids).not.toContain(exhibit.chapters[0]!.id);
    expect(slides).toHaveLength(exhibit.chapters.length - 2);
    for (const s of slides) expect(s.number).toBe(exhibit.chapters.indexOf(s.chapter) + 1);
  });

  it('never shows a sensitive image: the chapter shows its next image, or its numbered panel', () => {
    const exhibit = bundled();
    const chapter = exhibit.chapters[illustrated(exhibit)]!;
    const first = chapter.images[0]!;
    first.sensitive = true;
    const next = { ...first, src: 'media/plates/next.svg', sensitive: false };
    chapter.images.push(next);

    let slide = attractSlides(exhibit).find((s) => s.chapter.id === chapter.id);
    expect(slide?.image).toBe(next);

    next.sensitive = true;
    slide = attractSlides(exhibit).find((s) => s.chapter.id === chapter.id);
    expect(slide).toBeDefined();
    expect(slide!.image).toBeUndefined();
    for (const s of attractSlides(exhibit)) expect(s.image?.sensitive ?? false).toBe(false);
  });

  it('takes nothing away from the exhibit: Home and the chapter still offer all of it', () => {
    const exhibit = bundled();
    const chapter = exhibit.chapters[illustrated(exhibit)]!;
    chapter.sensitive = true;
    chapter.images[0]!.sensitive = true;
    const before = structuredClone(exhibit);

    attractSlides(exhibit);
    expect(exhibit).toEqual(before);
    expect(exhibit.chapters).toContain(chapter);
    expect(chapter.images[0]!.sensitive).toBe(true);
  });
});
