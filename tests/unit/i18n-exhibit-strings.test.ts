import { afterEach, describe, expect, it } from 'vitest';
import { INTERFACE_KEYS, INTERFACE_STRINGS } from '../../main/contract/interface-strings.js';
import { setExhibitStrings, strings, t } from '../../src/lib/i18n/index.js';
// Every built-in string, the lazy dictionaries' too (the page loads those with their components).
import.meta.glob('../../src/lib/i18n/lazy/*.ts', { eager: true });

afterEach(() => setExhibitStrings(undefined));

const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the interface key list the content schema and the kiosk share', () => {
  it('names exactly the built-in strings, with the placeholders English uses', () => {
    for (const lang of ['en', 'ru'])
      expect(Object.keys(strings[lang]!).sort()).toEqual([...INTERFACE_KEYS].sort());
    for (const key of INTERFACE_KEYS)
      expect(names(strings.en![key]!), key).toEqual([...INTERFACE_STRINGS[key]].sort());
  });
});

describe('t looks up the exhibit’s own translation, then the built-in one, then English', () => {
  it('shows a German exhibit’s buttons in German and a key it leaves out in English', () => {
    expect(t('de', 'nav.next')).toBe('Next');
    setExhibitStrings({ de: { 'nav.next': 'Weiter', 'nav.position': 'Kapitel {n} von {total}' } });
    expect(t('de', 'nav.next')).toBe('Weiter');
    expect(t('de', 'nav.previous')).toBe('Previous');
    expect(t('de', 'nav.position', { n: 2, total: 9 })).toBe('Kapitel 2 von 9');
    // Other languages are untouched.
    expect(t('ru', 'nav.next')).toBe('Далее');
    expect(t('en', 'nav.next')).toBe('Next');
  });

  it('lets the exhibit reword a built-in language, and uses its English as the last resort', () => {
    setExhibitStrings({ ru: { 'nav.home': 'На главную' }, en: { 'idle.keep': 'Stay a while' } });
    expect(t('ru', 'nav.home')).toBe('На главную');
    expect(t('ru', 'idle.keep')).toBe('Продолжить');
    expect(t('de', 'idle.keep')).toBe('Stay a while');
  });

  it('forgets the old exhibit’s strings when a version without them loads', () => {
    setExhibitStrings({ de: { 'nav.next': 'Weiter' } });
    setExhibitStrings(undefined);
    expect(t('de', 'nav.next')).toBe('Next');
  });

  it('names a language in itself even without a translation', () => {
    expect(t('de', 'lang.name')).toBe('Deutsch');
    expect(t('ru', 'lang.name')).toBe('Русский');
    setExhibitStrings({ de: { 'lang.name': 'Deutsch (Schweiz)' } });
    expect(t('de', 'lang.name')).toBe('Deutsch (Schweiz)');
  });
});
