import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pick } from '../../main/contract/exhibit.js';
import { loadExhibit } from '../../main/content/load.js';
import { localizedTexts } from '../../main/content/schema.js';
import { languageCodeProblem, validateContent } from '../../main/content/validate.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

const setYaml = (text: string) => writeFile(path.join(dir, 'exhibit.yaml'), text);

describe('languages', () => {
  it('publishes a partly translated language, with one warning per text shown in the first language', async () => {
    await setYaml(
      exhibitYaml()
        .replace('languages: [en, ru]', 'languages: [en, ru, de]')
        .replace('title: { en: First, ru: Первая }', 'title: { en: First, ru: Первая, de: Erste }'),
    );
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const texts = [...localizedTexts(report.exhibit)];
    const warnings = report.problems.filter((p) => p.severity === 'warning');
    // Every text but the translated chapter title, each exactly once, and German's buttons (in English).
    expect(warnings.map((p) => p.field).sort()).toEqual(
      [
        ...texts.map((t) => t.path.join('.')).filter((f) => f !== 'chapters.0.title'),
        'settings.languages.2',
      ].sort(),
    );
    const summary = warnings.find((p) => p.field === 'chapters.0.summary')!;
    expect(summary.message).toBe(
      'no "de" text: visitors who choose German (de) see the English (en) text here',
    );
    expect(summary.hint).toBe('add a "de:" line with the translation');

    // The kiosk loads it, and a text without German reads in the first language.
    const loaded = await loadExhibit(dir);
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
    const chapter = loaded.exhibit.chapters[0]!;
    const first = loaded.exhibit.settings.languages[0];
    expect(pick(chapter.summary, 'de', first)).toBe('Summary');
    expect(pick(chapter.title, 'de', first)).toBe('Erste');
  });

  it('accepts real language codes and refuses made-up ones', async () => {
    for (const code of ['de', 'fr', 'uk', 'ja', 'en', 'ru'])
      expect(languageCodeProblem(code)).toBeUndefined();
    for (const code of ['xx', 'zz', 'qq', 'und'])
      expect(languageCodeProblem(code)?.message).toBe(`"${code}" is not a language code`);
    expect(languageCodeProblem('iw')?.hint).toMatch(/^write "he" instead/);

    await setYaml(exhibitYaml().replace('languages: [en, ru]', 'languages: [en, ru, xx]'));
    const report = await validateContent(dir);
    expect(report.ok).toBe(false);
    expect(
      report.problems.filter((p) => p.severity === 'error').map((p) => [p.field, p.line, p.message]),
    ).toEqual([['settings.languages.2', 13, '"xx" is not a language code']]);
  });

  it('suggests the real codes a wrong one was probably meant to be', async () => {
    expect(languageCodeProblem('ge')?.hint).toMatch(
      /^did you mean "de" \(German\), "he" \(Hebrew\) or "ka" \(Georgian\)\? /,
    );
    expect(languageCodeProblem('jp')?.hint).toMatch(/^did you mean "ja" \(Japanese\)\? /);
    // In a text, the same words as in the list of languages.
    await setYaml(
      exhibitYaml().replace(
        'summary: { en: Summary, ru: Кратко }',
        'summary: { en: Summary, ru: Кратко, ge: Zusammenfassung }',
      ),
    );
    const report = await validateContent(dir);
    const ge = report.problems.find((p) => p.message.includes('"ge"'));
    expect(ge?.hint).toMatch(/did you mean "de" \(German\)/);
  });

  it('reports a text in a language the exhibit does not offer, and how to offer it', async () => {
    await setYaml(
      exhibitYaml().replace(
        'summary: { en: Summary, ru: Кратко }',
        'summary: { en: Summary, ru: Кратко, fr: Résumé }',
      ),
    );
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.map((p) => [p.severity, p.field, p.message, p.hint])).toEqual([
      [
        'warning',
        'chapters.0.summary.fr',
        'a French (fr) text, but the exhibit does not offer French: visitors never see it',
        'to offer French, add "fr" to settings: languages: [en, ru, fr]; otherwise delete the line',
      ],
    ]);
  });
});
