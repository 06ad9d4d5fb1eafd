import type { Dictionary } from './types.js';

/**
 * Every built-in UI string loaded so far, by language then key: the eager
 * dictionaries from the start, a lazy one (`lazy/`) once the component that
 * needs it has loaded. Apart from `index.ts` so that a lazy dictionary can
 * register itself without a circular import.
 */
export const strings: Record<string, Record<string, string>> = { en: {}, ru: {} };

/**
 * Adds a dictionary's strings. A lazy dictionary calls this when its module
 * is first imported, which is before any component that imports it renders,
 * so `t` stays synchronous.
 */
export function addStrings(dict: Dictionary): void {
  for (const [lang, table] of Object.entries(dict)) {
    Object.assign((strings[lang] ??= {}), table);
  }
}
