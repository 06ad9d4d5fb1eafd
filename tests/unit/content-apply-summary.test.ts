/**
 * `content apply` on a package whose content has many warnings: the line that
 * says the version is installed stays last and in sight, after the first few
 * warnings and a count of the rest.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { packContent } from '../../main/content/pack.js';
import { captureOut, cleanup, makeContent, tempDir } from './content-fixtures.js';

let work: string;
beforeEach(async () => {
  work = await tempDir('vitrine-apply-summary-');
});
afterEach(() => cleanup(work));

describe('content apply with many warnings', () => {
  it('shows the first ten, counts the rest, and ends with the install line', async () => {
    const dir = await makeContent(path.join(work, 'content'));
    const file = path.join(dir, 'exhibit.yaml');
    // A language added but not yet translated: one warning per text, all publishable.
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('languages: [en, ru]', 'languages: [en, ru, de]'),
    );
    const pkg = await packContent(dir, path.join(work, 'out') + path.sep);
    const { out, stdout } = captureOut();
    expect(await runContentCli(['apply', pkg.file, '--store', path.join(work, 'store')], out)).toBe(0);
    const listed = stdout.filter((l) => l.startsWith('exhibit.yaml:'));
    expect(listed).toHaveLength(10);
    expect(stdout.join('\n')).toMatch(
      /… and \d+ more warnings \(none blocks\): run npm run content -- validate/,
    );
    expect(stdout.at(-1)).toMatch(/is now current/);
  });
});
