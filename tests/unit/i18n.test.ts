import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { strings, t } from '../../src/lib/i18n/index.js';
import type { Dictionary } from '../../src/lib/i18n/types.js';

const dir = fileURLToPath(new URL('../../src/lib/i18n/', import.meta.url));
const files = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.svelte.ts') && f !== 'index.ts' && f !== 'types.ts',
);

describe('UI dictionaries', () => {
  it.each(files)('%s has every key in both English and Russian, none empty', async (file) => {
    const dict = (
      (await import(`../../src/lib/i18n/${file.replace(/\.ts$/, '')}.ts`)) as { default: Dictionary }
    ).default;
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
      const dict = (
        (await import(`../../src/lib/i18n/${file.replace(/\.ts$/, '')}.ts`)) as { default: Dictionary }
      ).default;
      for (const [key, text] of Object.entries(dict.en)) expect(strings.en?.[key]).toBe(text);
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
