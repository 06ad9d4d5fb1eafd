/**
 * Choosing and preparing the file a picture is drawn from: an original, or one
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

/**
 * Fetches and decodes a picture off screen, choosing its file as an `<img>`
 * with these `sizes` would, so that when it is shown the browser has the
 * pixels ready. The element is put in `holder` (which hides it) and taken out
 * by the returned function: an `<img>` with viewport-relative `sizes` that never
 * joins a document stays registered with the document's viewport listeners,
 * and so alive, for as long as the page lives (one per slide, for months).
 */
export function warmPicture(
  image: Pick<ImageSlot, 'src' | 'variants'>,
  sizes: string,
  holder: HTMLElement,
): () => void {
  const img = new Image();
  img.decoding = 'async';
  img.alt = '';
  const srcset = srcsetOf(image.variants);
  if (srcset) {
    img.sizes = sizes;
    img.srcset = srcset;
  }
  img.src = `/${image.src}`;
  holder.append(img);
  // A picture that fails here fails visibly, and is handled, where it is shown.
  img.decode().catch(() => {});
  return () => img.remove();
}
