/**
 * Picking a text in the visitor's language. The same rule as `pick` in the
 * content schema module, kept here so the first paint does not have to load
 * zod (the schema module validates, and loads lazily in `api.ts`).
 */
import type { LocalizedText } from '../../main/content/schema.js';

/** The text for `lang`, falling back to `fallback`, then to any language, then to ''. */
export function pick(text: LocalizedText | undefined, lang: string, fallback = 'en'): string {
  if (!text) return '';
  return text[lang] ?? text[fallback] ?? Object.values(text)[0] ?? '';
}
