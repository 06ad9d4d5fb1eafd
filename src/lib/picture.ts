import type { ImageSlot } from '../../main/content/schema.js';

/** What an `<img>` needs to pick the right file for an image slot. */
export interface ImageSources {
  src: string;
  srcset: string | undefined;
  sizes: string | undefined;
}

/** The original and, when `content build` has made them, its screen-sized copies. */
export function imageSources(image: ImageSlot): ImageSources {
  return {
    src: '/' + image.src,
    srcset: image.variants?.map((v) => `/${v.src} ${v.width}w`).join(', '),
    sizes: image.variants ? '100vw' : undefined,
  };
}

/**
 * Fetches and decodes an image ahead of time, so that when it comes on screen
 * the browser only has to draw it. A failure is ignored here: the picture
 * shows its own fallback when its turn comes.
 */
export function warm(image: ImageSlot): void {
  const { src, srcset, sizes } = imageSources(image);
  const img = new Image();
  if (sizes) img.sizes = sizes;
  if (srcset) img.srcset = srcset;
  img.src = src;
  img.decode().catch(() => {});
}
