import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { startPreview } from '../../main/cli/preview.js';
import { loadExhibit } from '../../main/content/load.js';
import { captureOut, cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

let dir: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
});
afterEach(() => cleanup(dir));

/**
 * An exhibit.yaml whose one paragraph is repeated with `*p`, `count` times:
 * the YAML library refuses to expand more than 100 such repeats.
 */
function repeatedParagraph(count: number): string {
  const yaml = exhibitYaml();
  const body = '    body:\n      - en: Body text.\n        ru: Текст.\n';
  expect(yaml).toContain(body);
  const repeats = Array.from({ length: count }, () => '      - *p\n').join('');
  return yaml.replace(body, `    body:\n      - &p { en: Body text., ru: Текст. }\n${repeats}`);
}

const setYaml = (text: string) => writeFile(path.join(dir, 'exhibit.yaml'), text);

describe('exhibit.yaml with too many aliases', () => {
  it('loads as one problem in staff words, at the first alias, instead of throwing', async () => {
    await setYaml(repeatedParagraph(150));
    const result = await loadExhibit(dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({
      severity: 'error',
      file: 'exhibit.yaml',
      line: 22,
      column: 9,
      message: expect.stringMatching(/exhibit\.yaml repeats anchors \(\*name\) too often: 150 aliases/),
      hint: expect.stringMatching(/write the text out instead of using & and \*/),
    });
  });

  it('a few repeats are still fine', async () => {
    await setYaml(repeatedParagraph(3));
    const result = await loadExhibit(dir);
    expect(result.problems).toEqual([]);
    expect(result.ok && result.exhibit.chapters[0]!.body).toHaveLength(4);
  });

  it('an alias to an anchor never set is a problem too, not a crash', async () => {
    await setYaml(repeatedParagraph(1).replace('&p ', ''));
    const result = await loadExhibit(dir);
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.message).toMatch(/\*p refers to an anchor &p that is not set before it/);
  });

  it('content validate exits 1 with the message, not a stack trace', async () => {
    await setYaml(repeatedParagraph(150));
    const { out, stdout, stderr } = captureOut();
    expect(await runContentCli(['validate', dir], out)).toBe(1);
    const text = [...stdout, ...stderr].join('\n');
    expect(text).toMatch(
      /^exhibit\.yaml:22:9 {2}\(whole file\) {2}exhibit\.yaml repeats anchors .*150 aliases/m,
    );
    expect(text).toMatch(/1 error, 0 warnings: fix the errors/);
    expect(text).not.toMatch(/ReferenceError|resource exhaustion|\n\s+at /);
  });

  it('npm run preview starts on such a folder and shows the problem instead of crashing', async () => {
    await setYaml(repeatedParagraph(150));
    const lines: string[] = [];
    const preview = await startPreview({
      contentDir: dir,
      port: 0,
      editor: true,
      watch: false,
      log: (l) => lines.push(l),
    });
    try {
      expect(preview.content.current()).toBeUndefined();
      expect(lines.join('\n')).toMatch(/1 problem\(s\)[^]*repeats anchors \(\*name\) too often/);
      const status = (await (await fetch(new URL('api/preview/status', preview.url))).json()) as {
        problems: { message: string }[];
      };
      expect(status.problems[0]?.message).toMatch(/too often: 150 aliases/);
    } finally {
      await preview.close();
    }
  });
});
