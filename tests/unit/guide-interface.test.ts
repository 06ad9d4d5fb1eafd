/**
 * The guide's "Translate the kiosk's own buttons" section, checked against
 * the tool: its German example passes validation with no error, and its
 * list of keys is exactly the kiosk's, so staff never copy a key that is
 * refused or miss one that exists.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTERFACE_KEYS } from '../../main/contract/interface-strings.js';
import { validateContent } from '../../main/content/validate.js';
import { strings } from '../../src/lib/i18n/index.js';
// Every built-in string, the lazy dictionaries' too (the page loads those with their components).
import.meta.glob('../../src/lib/i18n/lazy/*.ts', { eager: true });
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

const GUIDE = path.resolve(import.meta.dirname, '../../docs/staff-guide.md');

async function section(): Promise<string> {
  const guide = await readFile(GUIDE, 'utf8');
  const start = guide.indexOf("### Translate the kiosk's own buttons");
  expect(start).toBeGreaterThan(0);
  return guide.slice(start, guide.indexOf('\n## ', start));
}

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

describe('the guide on translating the kiosk’s own buttons', () => {
  it('gives a German example the check accepts, with only the one warning about the rest', async () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(await section())?.[1];
    expect(example).toContain('interface:');
    await writeFile(
      path.join(dir, 'exhibit.yaml'),
      exhibitYaml().replace('languages: [en, ru]', 'languages: [en, ru, de]') + example,
    );
    const report = await validateContent(dir);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.problems.filter((p) => p.field.startsWith('interface')).map((p) => p.message)).toEqual([
      expect.stringMatching(
        / of the kiosk's \d+ interface strings have no German text: those show in English$/,
      ),
    ]);
  });

  it('lists every key with its English text, and no other', async () => {
    const rows = [...(await section()).matchAll(/^\| `([A-Za-z0-9.-]+)` +\| (.*?) +\|$/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual([...INTERFACE_KEYS].sort());
    for (const [, key, text] of rows) expect(text!.replace(/\\\|/g, '|'), key).toBe(strings.en![key!]);
  });
});
