/**
 * What is wrong with a content folder, as the content CLI prints it and as
 * `GET /api/preview/status` sends it to the editors' preview panel.
 */

/** One thing wrong (or worth a look) in a content folder. */
export interface Problem {
  severity: 'error' | 'warning';
  /** Path of the file relative to the content folder. */
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `chapters.3.images.0.credit.ru`. */
  field: string;
  message: string;
  /** How to fix it, in words a non-programmer can act on. */
  hint: string;
}

/** The body of `GET /api/preview/status`. */
export interface PreviewStatus {
  /** The version on screen, or null while nothing valid has loaded. */
  version: string | null;
  problems: Problem[];
}
