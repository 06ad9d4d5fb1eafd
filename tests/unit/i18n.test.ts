import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { strings, t } from '../../src/lib/i18n/index.js';
import type { Dictionary } from '../../src/lib/i18n/types.js';

const dir = fileURLToPath(new URL('../../src/lib/i18n/', import.meta.url));
const dictionaries = (sub: string) =>
  readdirSync(dir + sub)
    .filter(
      (f) =>
        f.endsWith('.ts') && !f.endsWith('.svelte.ts') && !['index.ts', 'strings.ts', 'types.ts'].includes(f),
    )
    .map((f) => sub + f);
/** The dictionaries merged at start, and the ones that register themselves with the component that loads them. */
const eager = dictionaries('');
const lazy = dictionaries('lazy/');
const files = [...eager, ...lazy];
const load = async (file: string) =>
  ((await import(/* @vite-ignore */ dir + file)) as { default: Dictionary }).default;

describe('UI dictionaries', () => {
  it.each(files)('%s has every key in both English and Russian, none empty', async (file) => {
    const dict = await load(file);
    const en = Object.keys(dict.en).sort();
    const ru = Object.keys(dict.ru).sort();
    expect(ru).toEqual(en);
    for (const [lang, table] of Object.entries(dict as unknown as Record<string, Record<string, string>>)) {
      for (const [key, value] of Object.entries(table)) {
        expect(value.trim(), `${file} ${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('merges every dictionary file', async () => {
    for (const file of files) {
      const dict = await load(file);
      for (const [key, text] of Object.entries(dict.en)) expect(strings.en?.[key]).toBe(text);
    }
  });

  it('holds a lazy dictionary’s strings only once the module that needs them loads it', async () => {
    expect(lazy.length).toBeGreaterThan(0);
    const dicts = await Promise.all(lazy.map(load));
    vi.resetModules();
    const fresh = await import('../../src/lib/i18n/index.js');
    for (const [i, file] of lazy.entries()) {
      const dict = dicts[i]!;
      for (const key of Object.keys(dict.en)) expect(fresh.t('en', key), `${file}: ${key}`).toBe(key);
      await load(file);
      for (const [key, text] of Object.entries(dict.en))
        expect(fresh.t('en', key), `${file}: ${key}`).toBe(text);
    }
  });

  it('keeps placeholders the same in both languages', () => {
    for (const [key, value] of Object.entries(strings.en ?? {}) as [string, string][]) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(strings.ru?.[key] ?? ''), key).toEqual(names(value));
    }
  });
});

describe('t', () => {
  it('fills placeholders and switches language', () => {
    expect(t('en', 'nav.position', { n: 4, total: 14 })).toBe('Chapter 4 of 14');
    expect(t('ru', 'nav.position', { n: 4, total: 14 })).toBe('Глава 4 из 14');
  });

  it('falls back to English, then to the key, never throwing', () => {
    expect(t('de', 'idle.title')).toBe('Still there?');
    expect(t('en', 'no.such.key')).toBe('no.such.key');
  });
});
