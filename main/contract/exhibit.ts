/**
 * The exhibit as the host serves it on `GET /api/exhibit`. The types come from
 * the content schema, which the host validates against; the renderer imports
 * them as types only, so no schema library reaches the page.
 */
export type {
  Chapter,
  Exhibit,
  Figure,
  ImageSlot,
  ImageVariant,
  LocalizedText,
  MapAdvance,
  MapPlace,
  Settings,
  TimelineEntry,
} from '../content/schema.js';
import type { Exhibit, LocalizedText } from '../content/schema.js';
import type { Problem } from './problems.js';

/** The body of `GET /api/exhibit`: a validated exhibit and the content version it came from. */
export interface ExhibitPayload {
  version: string;
  exhibit: Exhibit;
  /** Warnings about the version served (errors never reach visitors). */
  problems: Problem[];
  /** Which optional routes this host serves, so the page never probes for them; absent: none. */
  host?: HostFeatures;
}

/**
 * Id of the `<script type="application/json">` in the served `index.html`
 * that carries the same {@link ExhibitPayload} as `GET /api/exhibit`, so the
 * first screen is drawn without waiting for a second request.
 */
export const INLINE_EXHIBIT_ID = 'vitrine-exhibit';

/**
 * Class of the attract masthead the host writes into the served `index.html`
 * (so the first frame names the exhibit before the script runs); the page's
 * stylesheet places it and the renderer removes it as it mounts.
 */
export const FIRST_SCREEN_SHELL_CLASS = 'first-screen-shell';

/** The optional parts of the HTTP contract a host may serve. */
export interface HostFeatures {
  /** `/api/staff/*`: the staff panel, and the page's applying/rendered reports for rollback. */
  staff: boolean;
  /** `GET /api/preview/status`: the editors' preview panel (`npm run preview`). */
  editorPreview: boolean;
}

/** The data of an `event: content` message on `GET /api/events`: a new version is ready. */
export interface ContentEvent {
  version: string;
}

/**
 * The text for `lang`, falling back to `fallback` (the exhibit's first
 * language), then to any language, then to ''. Host and renderer pick texts
 * by this one rule, so a partly translated language reads the same on both.
 */
export function pick(text: LocalizedText | undefined, lang: string, fallback = 'en'): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}
