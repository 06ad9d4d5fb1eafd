/**
 * `settings.openingHours` in exhibit.yaml as staff write it: a good one is
 * read, and each mistake is named in staff words at its line.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateContent } from '../../main/content/validate.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => cleanup(work));

/** Validates the test exhibit with `hours` as its `settings.openingHours` block (YAML, indented under settings). */
async function validateWith(hours: string) {
  const dir = await makeContent(path.join(work, 'c'));
  const yaml = exhibitYaml().replace(
    '  languages: [en, ru]\n',
    `  languages: [en, ru]\n  openingHours:\n${hours}`,
  );
  await writeFile(path.join(dir, 'exhibit.yaml'), yaml);
  const report = await validateContent(dir);
  return report.problems.filter((p) => p.severity === 'error');
}

describe('settings.openingHours', () => {
  it('accepts weekly hours across midnight, closures and a time zone, written without quotes', async () => {
    const errors = await validateWith(
      [
        '    timeZone: Europe/Berlin',
        '    weekly:',
        '      mon: [09:00-18:00]',
        '      fri: [09:00-12:00, 20:00-02:00]',
        '      sun: []',
        '    closed: [2026-12-25, 2026-12-31..2027-01-01]',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
  });

  it('names a bad time, an empty range, an unknown zone and a bad date, each at its line', async () => {
    const errors = await validateWith(
      [
        '    timeZone: Europe/Berlln',
        '    weekly:',
        '      mon: ["25:00-26:00"]',
        '      tue: ["09:00-09:00"]',
        '      wed: ["9 to 5"]',
        '    closed: ["2026-02-30"]',
        '',
      ].join('\n'),
    );
    const said = errors.map((e) => `${e.line} ${e.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ "Europe\/Berlln" is not a time zone this kiosk knows/),
        expect.stringMatching(/"25:00" in "25:00-26:00" is not a time: hours go from 00 to 23/),
        expect.stringMatching(/"09:00-09:00" starts and ends at the same time/),
        expect.stringMatching(/"9 to 5" is not a time range: write it as "09:00-18:00"/),
        expect.stringMatching(/"2026-02-30" is not a calendar date/),
      ]),
    );
    // Each at its own line of exhibit.yaml, not all at the top.
    expect(new Set(errors.map((e) => e.line)).size).toBe(5);
  });

  it('gives each mistake its own fix, never a blank "correct the value"', async () => {
    const errors = await validateWith(
      [
        '    timeZone: Europe/Berlln',
        '    weekly:',
        '      mon: ["25:00-26:00"]',
        '      tue: ["09:00-09:00"]',
        '      wed: ["9 to 5"]',
        '      thu: ["10:70-18:00"]',
        '    closed: ["2026-02-30", "2026-12-31..2026-01-01"]',
        '',
      ].join('\n'),
    );
    const hints = Object.fromEntries(errors.map((e) => [e.message.split(' ')[0], e.hint]));
    expect(hints).toEqual({
      '"Europe/Berlln"': expect.stringContaining('write one like "Europe/Berlin"'),
      '"25:00"': 'write the hour as 00 to 23; only an end may be 24:00 (midnight)',
      '"09:00-09:00"': 'for a whole day write "00:00-24:00"; for a closed day leave its list empty: []',
      '"9': 'write two 24-hour times joined by "-", e.g. "09:00-18:00"',
      '"10:70"': 'write the minutes as 00 to 59',
      '"2026-02-30"': 'check the day and month: write YYYY-MM-DD, e.g. "2026-12-25"',
      '"2026-12-31..2026-01-01"': 'swap the two dates: the earlier one goes first',
    });
  });

  it('names the nearest weekday for a misspelt one', async () => {
    const errors = await validateWith(
      ['    weekly:', '      tuesday: [09:00-18:00]', '      Fri: []', ''].join('\n'),
    );
    expect(errors.map((e) => `${e.message} — ${e.hint}`)).toEqual([
      expect.stringMatching(/"tuesday" is not a day of the week here — did you mean "tue"\?/),
      expect.stringMatching(/"Fri" is not a day of the week here — did you mean "fri"\?/),
    ]);
  });
});
