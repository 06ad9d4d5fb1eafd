/// <reference types="vite/client" />
/**
 * UI strings. Every dictionary file in this folder (`core.ts`, `extras.ts`,
 * `audio.ts`, ...) is merged here, so an area adds strings without touching
 * this file.
 */
import type { Dictionary } from './types.js';

/** The languages the kiosk chrome is written in. */
export const UI_LANGUAGES = ['en', 'ru'] as const;

const modules = import.meta.glob<{ default: Dictionary }>(['./*.ts', '!./index.ts', '!./types.ts'], {
  eager: true,
});

/** Every UI string, by language then key. */
export const strings: Record<string, Record<string, string>> = { en: {}, ru: {} };
for (const mod of Object.values(modules)) {
  for (const [lang, table] of Object.entries(mod.default)) {
    Object.assign((strings[lang] ??= {}), table);
  }
}

/**
 * The UI string `key` in `lang` (falling back to English, then to the key
 * itself so a missing string is visible but never breaks a screen), with
 * `{name}` placeholders filled from `params`.
 */
export function t(lang: string, key: string, params?: Record<string, string | number>): string {
  const raw = strings[lang]?.[key] ?? strings.en?.[key] ?? key;
  if (!params) return raw;
  return raw.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
