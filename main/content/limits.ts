/**
 * The limits content must keep to, in one place: the checks enforce them,
 * and the editor's hover text, the CLI help and the staff guide quote them.
 */

/**
 * Largest decoded size of one picture the kiosk draws: width × height × 4
 * bytes (RGBA). A kiosk shows several images at once and keeps neighbours
 * decoded for swiping; 64 MiB each keeps that well inside a small PC's GPU
 * memory. 4096 × 4096 fits exactly; a 6000 × 4000 scan does not, so the
 * kiosk draws its screen copies (at most 3840 px on the long edge) instead.
 */
export const IMAGE_DECODED_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * The limit in the words of both the validation message and the staff guide,
 * so the two can never disagree.
 */
export const IMAGE_LIMIT_WORDS = `the kiosk draws a picture of at most ${IMAGE_DECODED_BUDGET_BYTES / 2 ** 20} MiB once decoded (width × height × 4 bytes, e.g. 4096 × 4096 pixels); "content build" makes screen copies of larger scans, which the kiosk draws instead`;

/**
 * How many characters of caption fit the caption box, per orientation,
 * before the picture above it is squeezed. Measured in Chromium on the
 * chapter screen (PT Serif italic, 24 CSS px, line height 1.4): the caption
 * column is 807 px wide in landscape (1920 × 1080), about 60 characters a
 * line in English or Russian, and gets 4 lines; in portrait (1080 × 1920) it
 * is 947 px, about 75 a line, and gets 3 lines, as the picture has less
 * height to give. Word wrapping wastes part of each line, hence the margin.
 */
export const CAPTION_BUDGET = { landscape: 230, portrait: 225 } as const;

/** The most characters a caption may have: its box in the narrower orientation. */
export const CAPTION_LIMIT = Math.min(CAPTION_BUDGET.landscape, CAPTION_BUDGET.portrait);
