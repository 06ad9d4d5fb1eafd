/**
 * Choosing the file a picture is drawn from: an original, or one
 * of the screen copies `content build` and the plate generator make.
 */
import type { ImageSlot, ImageVariant } from '../../main/contract/exhibit.js';

/** The `<img srcset>` offering an image's screen copies, or undefined when it has none. */
export function srcsetOf(copies: ImageVariant[] | undefined): string | undefined {
  return copies?.map((v) => `/${v.src} ${v.width}w`).join(', ');
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
