/// <reference types="vite/client" />
/**
 * UI strings. Every dictionary file in this folder (`core.ts`, `extras.ts`,
 * `access.ts`) is merged here, so an area adds strings without touching this
 * file. The dictionaries in `lazy/` hold strings that only lazily loaded
 * screens show (the staff panel, the inside of the extra screens, the access
 * panel, sound): each registers itself with `addStrings` when the component
 * that imports it loads, so those strings travel in that component's chunk
 * and not in the entry. The loaded exhibit may translate any of them further
 * (its `interface:` section, see `exhibit-strings.svelte.ts`).
 */
import { BUILT_IN_INTERFACE_LANGUAGES } from '../../../main/contract/interface-strings.js';
import { exhibitString } from './exhibit-strings.svelte.js';
import { addStrings, strings } from './strings.js';
import type { Dictionary } from './types.js';

export { setExhibitStrings } from './exhibit-strings.svelte.js';
export { strings };

/** The languages the kiosk chrome is written in. */
export const UI_LANGUAGES = BUILT_IN_INTERFACE_LANGUAGES;

const modules = import.meta.glob<{ default: Dictionary }>(
  ['./*.ts', '!./index.ts', '!./strings.ts', '!./types.ts', '!./*.svelte.ts'],
  { eager: true },
);

for (const mod of Object.values(modules)) addStrings(mod.default);

const ownNames = new Map<string, string | undefined>();

/** A language's name in itself ("Deutsch" for de), from the browser's own list. */
function ownName(lang: string): string | undefined {
  if (!ownNames.has(lang)) {
    let name: string | undefined;
    try {
      name = new Intl.DisplayNames([lang], { type: 'language', fallback: 'none' }).of(lang);
    } catch {
      name = undefined;
    }
    ownNames.set(
      lang,
      name && name !== lang ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : undefined,
    );
  }
  return ownNames.get(lang);
}

/**
 * The UI string `key` in `lang`: the exhibit's own translation first, then
 * the built-in one, then English (the exhibit's, then built-in), then the
 * key itself so a missing string is visible but never breaks a screen; with
 * `{name}` placeholders filled from `params`.
 */
export function t(lang: string, key: string, params?: Record<string, string | number>): string {
  const raw =
    exhibitString(lang, key) ??
    strings[lang]?.[key] ??
    // A language is never announced by the English word "English".
    (key === 'lang.name' ? ownName(lang) : undefined) ??
    exhibitString('en', key) ??
    strings.en?.[key] ??
    key;
  if (!params) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
