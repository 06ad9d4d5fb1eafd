import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { formatProblem, parseExhibit } from '../../main/content/load.js';
import { validateContent } from '../../main/content/validate.js';
import { captureOut, cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

const setYaml = (text: string) => writeFile(path.join(dir, 'exhibit.yaml'), text);
const errors = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'error');

describe('validation messages in the words staff use', () => {
  it('explains a colon in an unquoted caption, with the quoted line to write', async () => {
    await setYaml(exhibitYaml({ caption: 'Order No. 1: the offensive begins' }));
    const problems = await errors();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 27 });
    expect(problems[0]!.message).toBe(
      'line 27: this text contains ": " (a colon and a space), which the file reads as the start of a new field',
    );
    expect(problems[0]!.hint).toMatch(
      /^put the whole text in quotes: en: "Order No\. 1: the offensive begins"/,
    );
    expect(problems[0]!.hint).toMatch(/Fix this first: the lines after it may well be fine\.$/);
  });

  it('reports one error for one tab, however many lines the parser trips over after it', async () => {
    await setYaml(
      exhibitYaml().replace('    title: { en: First, ru: Первая }', '\ttitle: { en: First, ru: Первая }'),
    );
    const { out, stdout } = captureOut();
    expect(await runContentCli(['validate', dir], out)).toBe(1);
    const lines = stdout.filter((l) => l.startsWith('exhibit.yaml:'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^exhibit\.yaml:16:1 {2}\(whole file\) {2}line 16 is indented with a tab {2}replace the tab with spaces/,
      ),
    ]);
  });

  it('reports a key written twice at its line, never keeping one of the two silently', () => {
    const result = parseExhibit('id: first\ntitle: { en: A }\nid: second\n');
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 3 });
  });

  it('names the line of the first of two images with the same id', async () => {
    const yaml = exhibitYaml().replace(
      '    narration:',
      `      - id: photo
        src: media/photo.png
        caption: { en: Again, ru: Снова }
        credit: { en: Archive, ru: Архив }
        alt: { en: Grey, ru: Серый }
    narration:`,
    );
    await setYaml(yaml);
    const problems = await errors();
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [31, 'image id "photo" is used twice: the first is on line 24'],
    ]);
  });

  it('names the exact character a file name may not use', async () => {
    await copyFile(path.join(dir, 'media', 'photo.png'), path.join(dir, 'media', 'скан.png'));
    await setYaml(exhibitYaml({ src: 'media/скан.png' }));
    const [problem] = await errors();
    expect(problem!.message).toBe(
      '"media/скан.png" contains "с", which a media path may not use: use only the letters a-z and A-Z, digits, ".", "_", "-" and "/"',
    );
    expect(problem!.hint).toMatch(/^rename the file/);
  });

  it('says an empty exhibit.yaml is empty, and nothing else', async () => {
    for (const text of ['', '\n\n', '# only a note\n']) {
      await setYaml(text);
      const problems = (await validateContent(dir)).problems;
      expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^exhibit\.yaml is empty/)]);
      expect(problems.map(formatProblem).join('\n')).not.toMatch(/group of fields/);
    }
  });

  it('builds nothing from an exhibit.yaml it cannot read, and says why', async () => {
    await setYaml(exhibitYaml().replace('    title: { en: First', '\ttitle: { en: First'));
    const { out, stderr } = captureOut();
    expect(await runContentCli(['build', dir], out)).toBe(1);
    expect(stderr.join('\n')).toMatch(
      /^content: nothing built: exhibit\.yaml:16: line 16 is indented with a tab\./,
    );
  });

  it('takes version: 2 as the version "2", and explains a version that YAML reads as another number', async () => {
    await setYaml(exhibitYaml().replace("version: '1'", 'version: 2'));
    const report = await validateContent(dir);
    expect(report.problems).toEqual([]);
    expect(report.exhibit?.version).toBe('2');
    await setYaml(exhibitYaml().replace("version: '1'", 'version: 2.10'));
    expect((await errors()).map((p) => [p.field, p.message, p.hint])).toEqual([
      [
        'version',
        'version 2.10 reads as the number 2.1, so the kiosk would show "2.1"',
        'put it in quotes: version: "2.10"',
      ],
    ]);
  });

  it('warns about a tab inside a text, which visitors would see as a gap', async () => {
    await setYaml(exhibitYaml({ caption: '"Foreign\tPolicy"' }));
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    const tab = report.problems.filter((p) => p.message.includes('tab'));
    expect(tab.map((p) => [p.severity, p.field, p.hint])).toEqual([
      ['warning', 'chapters.0.images.0.caption.en', 'replace the tab with a space'],
    ]);
  });

  it('labels a problem with the whole file as such', () => {
    const line = formatProblem({
      severity: 'error',
      file: 'exhibit.yaml',
      line: 1,
      column: 1,
      field: '',
      message: 'm',
      hint: 'h',
    });
    expect(line).toBe('exhibit.yaml:1:1  (whole file)  m  h');
  });
});
