import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pick, type ExhibitPayload } from '../../main/contract/exhibit.js';
import { INTERFACE_KEYS } from '../../main/contract/interface-strings.js';
import { createContentSource } from '../../main/content/source.js';
import { validateContent } from '../../main/content/validate.js';
import { exhibitResponse } from '../../main/handler/api.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

/** The fixture exhibit offered in `languages`, with `extra` appended (e.g. an interface section). */
const setYaml = (languages: string, extra = '') =>
  writeFile(
    path.join(dir, 'exhibit.yaml'),
    exhibitYaml().replace('languages: [en, ru]', `languages: [${languages}]`) + extra,
  );

/** What `GET /api/exhibit` sends for the folder. */
async function served(): Promise<ExhibitPayload> {
  const source = await createContentSource(dir);
  try {
    const res = exhibitResponse(source);
    expect(res.status).toBe(200);
    return (await res.json()) as ExhibitPayload;
  } finally {
    source.close();
  }
}

describe('a text missing in a language is served in the exhibit’s first language', () => {
  it('Russian first: a German visitor reads the Russian chapter title', async () => {
    await setYaml('ru, en, de');
    const { exhibit } = await served();
    const title = exhibit.chapters[0]!.title;
    expect(title.de).toBe('Первая');
    // The page picks with no rule of its own: whatever default pick() has, German shows Russian.
    expect(pick(title, 'de')).toBe('Первая');
    expect(pick(title, 'en')).toBe('First');
    expect(pick(exhibit.chapters[0]!.images[0]!.alt, 'de')).toBe('Серый квадрат');
  });

  it('English first: a German visitor reads the English chapter title', async () => {
    await setYaml('en, de');
    const { exhibit } = await served();
    expect(exhibit.chapters[0]!.title.de).toBe('First');
    expect(pick(exhibit.chapters[0]!.title, 'de')).toBe('First');
    // A language the exhibit does not offer is not invented.
    expect(exhibit.chapters[0]!.title.fr).toBeUndefined();
  });
});

describe('the interface section', () => {
  const errors = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'error');
  const warnings = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'warning');

  it('warns once when a language has neither a built-in nor a translated interface', async () => {
    await setYaml('en, ru, de');
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    const buttons = report.problems.filter((p) => p.message.includes('own buttons'));
    expect(buttons.map((p) => [p.severity, p.field, p.line, p.message, p.hint])).toEqual([
      [
        'warning',
        'settings.languages.2',
        13,
        "the kiosk's own buttons will show in English for German (de)",
        'add an "interface: de:" section with their German text; see "Translate the kiosk\'s own buttons" in the staff guide',
      ],
    ]);
  });

  it('publishes a partial translation: one warning naming how many strings show in English', async () => {
    await setYaml('en, ru, de', '\ninterface:\n  de:\n    nav.next: Weiter\n    nav.home: Start\n');
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.exhibit?.interface?.de?.['nav.next']).toBe('Weiter');
    expect(report.problems.filter((p) => p.message.includes('own buttons'))).toEqual([]);
    const partial = report.problems.filter((p) => p.field === 'interface.de');
    expect(partial.map((p) => [p.severity, p.line, p.message])).toEqual([
      [
        'warning',
        37,
        `${INTERFACE_KEYS.length - 2} of the kiosk's ${INTERFACE_KEYS.length} interface strings have no German text: those show in English`,
      ],
    ]);
  });

  it('refuses an unknown key, naming the nearest real one at its line', async () => {
    await setYaml('en, ru, de', '\ninterface:\n  de:\n    nav.next: Weiter\n    nav.hme: Start\n');
    expect((await errors()).map((p) => [p.field, p.line, p.message, p.hint])).toEqual([
      [
        'interface.de.nav.hme',
        39,
        `"nav.hme" is not one of the kiosk's interface strings`,
        `did you mean "nav.home"? Rename it (the staff guide lists every key under "Translate the kiosk's own buttons")`,
      ],
    ]);
  });

  it('asks for two placeholders to be written as they are, in the plural', async () => {
    await setYaml('en, ru, de', '\ninterface:\n  de:\n    nav.position: Kapitel {nummer} von {gesamt}\n');
    expect((await errors()).map((p) => p.hint)).toEqual([
      'write {n} and {total} exactly as they are (only the words around them are translated)',
    ]);
  });

  it('refuses a placeholder the kiosk does not fill, and warns about one left out', async () => {
    await setYaml(
      'en, ru, de',
      '\ninterface:\n  de:\n    nav.position: Kapitel {n} von {gesamt}\n    home.open: Kapitel öffnen\n',
    );
    expect((await errors()).map((p) => [p.field, p.message])).toEqual([
      [
        'interface.de.nav.position',
        'uses {gesamt}, which the kiosk does not fill in: visitors would see "{gesamt}"',
      ],
    ]);
    const lost = (await warnings()).filter((p) => p.field === 'interface.de.home.open');
    expect(lost.map((p) => p.message)).toEqual([
      'leaves out {n}, which the kiosk fills in: visitors will not see that part',
    ]);
  });

  it('checks the section’s language codes against real ones and the languages offered', async () => {
    await setYaml('en, ru', '\ninterface:\n  xx:\n    nav.next: Weiter\n');
    expect((await errors()).map((p) => [p.field, p.message])).toEqual([
      ['interface.xx', '"xx" is not a language code'],
    ]);
    await setYaml('en, ru', '\ninterface:\n  fr:\n    nav.next: Suivant\n');
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.filter((p) => p.field === 'interface.fr').map((p) => p.message)).toEqual([
      'interface strings in French (fr), but the exhibit does not offer French: visitors never see them',
    ]);
  });

  it('lets English and Russian be reworded without a warning', async () => {
    await setYaml('en, ru', '\ninterface:\n  en:\n    idle.keep: Stay a while\n');
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.filter((p) => p.field.startsWith('interface'))).toEqual([]);
  });
});
