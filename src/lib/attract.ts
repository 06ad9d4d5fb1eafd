/**
 * What the unattended attract loop shows. Kept pure so the rule that curators' sensitive
 * material never runs unattended is tested without a screen.
 */
// Types only: the schema module (and zod with it) stays out of the first screen's bundle.
import type { Chapter, Exhibit, ImageSlot } from '../../main/content/schema.js';

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

/**
 * The `<img sizes>` for a picture that covers the whole screen: as wide as the
 * screen, or wider when the picture is wider than the screen's shape (a
 * landscape picture on a portrait screen is cropped at the sides), so the
 * browser picks a screen copy that is not enlarged. Unknown proportions: the
 * screen's width.
 */
export function screenCoverSizes(image: Pick<ImageSlot, 'width' | 'height' | 'variants'>): string {
  const { width, height } = image.width && image.height ? image : (image.variants?.[0] ?? {});
  if (!width || !height) return '100vw';
  return `max(100vw, ${Math.ceil((100 * width) / height)}vh)`;
}
