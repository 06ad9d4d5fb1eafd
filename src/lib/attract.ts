/**
 * What the unattended attract loop shows. Kept pure so the rule that curators' sensitive
 * material never runs unattended is tested without a screen.
 */
import type { Chapter, Exhibit, ImageSlot } from '../../main/contract/exhibit.js';

/** One slide of the attract loop. */
export interface AttractSlide {
  chapter: Chapter;
  /** The chapter's number as visitors see it on Home (1-based). */
  number: number;
  /** The picture to show, or undefined for the chapter's numbered panel. */
  image: ImageSlot | undefined;
}

/**
 * The attract loop's slides, in chapter order: a chapter marked `sensitive` is left out,
 * and each chapter shows its first image not marked `sensitive` (none left: its numbered
 * panel). Nothing is removed from the exhibit itself, so Home and the chapter screen
 * still offer all of it to a visitor who chooses it.
 */
export function attractSlides(exhibit: Pick<Exhibit, 'chapters'>): AttractSlide[] {
  return exhibit.chapters
    .map((chapter, i) => ({ chapter, number: i + 1, image: chapter.images.find((im) => !im.sensitive) }))
    .filter((s) => !s.chapter.sensitive);
}
