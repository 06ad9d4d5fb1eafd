import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { formatProblem } from '../../main/content/load.js';
import { kindFromBytes } from '../../main/content/sniff.js';
import { CAPTION_BUDGET, suggestKey, validateContent } from '../../main/content/validate.js';
import {
  captureOut,
  cleanup,
  exhibitYaml,
  headerOnlyPng,
  makeContent,
  png,
  tempDir,
} from './content-fixtures.js';

let dir: string;
let outside: string;
beforeEach(async () => {
  dir = await makeContent(await tempDir());
  outside = await tempDir('vitrine-outside-');
});
afterEach(() => cleanup(dir, outside));

const setYaml = (text: string) => writeFile(path.join(dir, 'exhibit.yaml'), text);
const errors = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'error');
const warnings = async () => (await validateContent(dir)).problems.filter((p) => p.severity === 'warning');

/** `file:line:column  field  what is wrong  how to fix` */
const ONE_LINE = /^[^\s:]+:\d+:\d+ {2}\S+ {2}.+ {2}.+$/;

describe('content validate', () => {
  it('accepts a complete two-language folder and says it is ready', async () => {
    const report = await validateContent(dir);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const { out, stdout } = captureOut();
    expect(await runContentCli(['validate', dir], out)).toBe(0);
    expect(stdout.join('\n')).toMatch(/ready to publish/);
  });

  it('reports malformed YAML at its line, one line per problem, exit 1', async () => {
    await setYaml(exhibitYaml().replace('idleSeconds: 60', 'idleSeconds: [60'));
    const { out, stdout } = captureOut();
    expect(await runContentCli(['validate', dir], out)).toBe(1);
    const problemLines = stdout.filter((l) => l.startsWith('exhibit.yaml:'));
    // One slip, one line: the parser's knock-on errors after it are not shown.
    expect(problemLines).toHaveLength(1);
    expect(problemLines[0]).toMatch(/^exhibit\.yaml:12:\d+ {2}.+ {2}.+ {2}.+$/);
    expect(problemLines[0]).toMatch(/the file cannot be read from line 12 .*Fix this first/);
  });

  it('reports a wrong type with the field and where it is', async () => {
    await setYaml(exhibitYaml().replace('idleSeconds: 60', 'idleSeconds: soon'));
    const [problem] = await errors();
    expect(problem).toMatchObject({
      field: 'settings.idleSeconds',
      line: 11,
      message: '"idleSeconds" should be a number, not text',
      hint: 'write a number here',
    });
    expect(formatProblem(problem!)).toMatch(ONE_LINE);
  });

  it('names a missing field in plain words', async () => {
    await setYaml(exhibitYaml().replace('subtitle: { en: A test, ru: Проверка }\n', ''));
    expect((await errors()).map((p) => [p.field, p.message, p.hint])).toEqual([
      ['subtitle', '"subtitle" is missing', 'add "subtitle:" with texts per language (en: …, ru: …)'],
    ]);
  });

  it('explains a number out of range and a language code that is not one', async () => {
    await setYaml(
      exhibitYaml()
        .replace('idleSeconds: 60', 'idleSeconds: 2')
        .replace('title: { en: Test, ru: Тест }', 'title: { en: Test, ru: Тест, English: Test }'),
    );
    expect((await errors()).map((p) => [p.field, p.message, p.hint])).toEqual([
      [
        'title.English',
        '"English" is not a language code',
        'did you mean "en" (English)? Use the two- or three-letter ISO 639 code of the language',
      ],
      ['settings.idleSeconds', '"idleSeconds" must be at least 5', 'write a number at least 5'],
    ]);
  });

  it('reports a missing media file', async () => {
    await setYaml(exhibitYaml({ src: 'media/nothere.png' }));
    const [problem] = await errors();
    expect(problem).toMatchObject({ field: 'chapters.0.images.0.src', line: 25 });
    expect(problem!.message).toMatch(/"media\/nothere\.png" does not exist/);
  });

  it('refuses media paths with "..", absolute paths and links out of the folder', async () => {
    await writeFile(path.join(outside, 'secret.png'), await png(4, 4));
    await setYaml(exhibitYaml({ src: 'media/../../secret.png' }));
    expect((await errors()).map((p) => p.message)).toEqual([
      expect.stringMatching(/leads outside the content folder/),
    ]);

    await setYaml(exhibitYaml({ src: path.join(outside, 'secret.png') }));
    expect((await errors()).map((p) => p.message)).toEqual([expect.stringMatching(/is an absolute path/)]);

    await symlink(path.join(outside, 'secret.png'), path.join(dir, 'media', 'linked.png'));
    await setYaml(exhibitYaml({ src: 'media/linked.png' }));
    expect((await errors()).map((p) => p.message)).toEqual([
      expect.stringMatching(/is a link to a file outside the content folder/),
    ]);

    // A whole media folder linked from elsewhere is caught too.
    await mkdir(path.join(outside, 'm'));
    await writeFile(path.join(outside, 'm', 'x.png'), await png(4, 4));
    await symlink(path.join(outside, 'm'), path.join(dir, 'media', 'elsewhere'));
    await setYaml(exhibitYaml({ src: 'media/elsewhere/x.png' }));
    expect((await errors())[0]?.message).toMatch(/outside the content folder/);
  });

  it('names a link out of the folder that no image uses, since apply and the kiosk refuse the whole folder for it', async () => {
    await mkdir(path.join(outside, 'x'));
    await symlink(path.join(outside, 'x'), path.join(dir, 'media', 'linkdir'));
    const report = await validateContent(dir);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'media/linkdir',
        message: 'media/linkdir is a link to something outside the content folder',
        hint: expect.stringMatching(/copy the real file in/),
      }),
    ]);
    const { out, stdout, stderr } = captureOut();
    expect(await runContentCli(['validate', dir], out)).toBe(1);
    expect([...stdout, ...stderr].join('\n')).toMatch(/media\/linkdir.*outside the content folder/);
  });

  it('refuses a 20000×20000 image, too large even to make screen copies from, saying what size would do', async () => {
    await writeFile(path.join(dir, 'media', 'huge.png'), headerOnlyPng(20000, 20000));
    await setYaml(exhibitYaml({ src: 'media/huge.png' }));
    const [problem, ...rest] = await errors();
    expect(rest).toEqual([]);
    expect(problem!.message).toMatch(
      /20000×20000 pixels: 1526 MiB once decoded, more than the content tools can read/,
    );
    expect(problem!.hint).toMatch(/^save a smaller copy of the scan \(at most 16000 pixels on each side\)/);
  });

  it('refuses a .jpg that is not a JPEG, naming what it really is', async () => {
    await writeFile(path.join(dir, 'media', 'scan.jpg'), await png(8, 8));
    await writeFile(path.join(dir, 'media', 'text.jpg'), 'hello, I am text');
    await setYaml(exhibitYaml({ src: 'media/scan.jpg' }));
    const [renamed] = await errors();
    expect(renamed!.message).toMatch(/is not really a JPEG image \(it is a PNG image\)/);
    expect(renamed!.hint).toMatch(/rename it to end in \.png/);
    await setYaml(exhibitYaml({ src: 'media/text.jpg' }));
    expect((await errors())[0]!.message).toMatch(
      /not really a JPEG image \(its contents are not a known format\)/,
    );
  });

  it('warns, without blocking, about HTML or script in a caption', async () => {
    await setYaml(exhibitYaml({ caption: '"<b>Yalta</b> <script>alert(1)</script>"' }));
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    const [warning] = report.problems;
    expect(warning).toMatchObject({ severity: 'warning', field: 'chapters.0.images.0.caption.en' });
    expect(warning!.message).toMatch(/HTML or script.*never run/);
  });

  it('names the nearest known key for a misspelt one', async () => {
    await setYaml(exhibitYaml({ imageExtra: '\n        captoin: { en: x, ru: x }' }));
    const [problem] = await errors();
    expect(problem).toMatchObject({ field: 'chapters.0.images.0.captoin', line: 31, column: 9 });
    expect(problem!.hint).toMatch(/did you mean "caption"\?/);
    expect(suggestKey('zzzzzz', ['caption', 'credit'])).toBeUndefined();
  });

  it('requires credit and alt text for every image; one missing in a language is a warning', async () => {
    await setYaml(
      exhibitYaml().replace('alt: { en: A grey square, ru: Серый квадрат }', 'alt: { en: A grey square }'),
    );
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.map((p) => [p.severity, p.field, p.message])).toEqual([
      [
        'warning',
        'chapters.0.images.0.alt',
        'no "ru" text: visitors who choose Russian (ru) see the English (en) text here',
      ],
    ]);
    await setYaml(exhibitYaml().replace('        credit: { en: Archive, ru: Архив }\n', ''));
    expect((await errors()).map((p) => p.message)).toEqual(['image "photo" has no credit']);
  });

  it('warns, once per text, when a text lacks an enabled language', async () => {
    await setYaml(exhibitYaml().replace('summary: { en: Summary, ru: Кратко }', 'summary: { en: Summary }'));
    expect(await errors()).toEqual([]);
    expect((await warnings()).map((p) => [p.field, p.line, p.message])).toEqual([
      [
        'chapters.0.summary',
        19,
        'no "ru" text: visitors who choose Russian (ru) see the English (en) text here',
      ],
    ]);
  });

  it('requires captions (a transcript) for narration audio', async () => {
    await setYaml(exhibitYaml().replace('        captions: media/voice.vtt\n', ''));
    expect((await errors()).map((p) => p.message)).toEqual([
      'the "en" narration has no captions (transcript)',
    ]);
  });

  it('refuses a caption that would overflow its box, stating the limit in characters', async () => {
    const words = (n: number) => 'word '.repeat(n).slice(0, n);
    const shortest = Math.min(CAPTION_BUDGET.landscape, CAPTION_BUDGET.portrait);
    const longest = Math.max(CAPTION_BUDGET.landscape, CAPTION_BUDGET.portrait);
    await setYaml(exhibitYaml({ caption: words(shortest) }));
    expect((await validateContent(dir)).problems).toEqual([]);
    // Over the portrait box only: a kiosk may be turned either way, so it still blocks.
    await setYaml(exhibitYaml({ caption: words(shortest + 1) }));
    expect((await errors()).map((p) => p.message)).toEqual([
      `caption is ${shortest + 1} characters; the caption box holds at most ${shortest} characters (it overflows in portrait)`,
    ]);
    await setYaml(exhibitYaml({ caption: 'x'.repeat(5000) }));
    const report = await validateContent(dir);
    expect(report.ok).toBe(false);
    const [error] = report.problems;
    expect(error).toMatchObject({ severity: 'error', field: 'chapters.0.images.0.caption.en' });
    expect(error!.message).toBe(
      `caption is 5000 characters; the caption box holds at most ${shortest} characters (it overflows in landscape and portrait)`,
    );
    expect(error!.hint).toBe(
      `shorten it to at most ${shortest} characters; move detail into the chapter text`,
    );
    expect(longest).toBeGreaterThan(shortest);
  });

  it('helps replace a placeholder: a new scan not yet used, and a photo still flagged as placeholder', async () => {
    await writeFile(
      path.join(dir, 'media', 'scan-a.jpg'),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
        .jpeg()
        .toBuffer(),
    );
    expect((await warnings()).map((p) => `${p.file}  ${p.message}`)).toEqual([
      'media/scan-a.jpg  "media/scan-a.jpg" is not used by any image',
    ]);
    await setYaml(exhibitYaml({ src: 'media/scan-a.jpg', imageExtra: '\n        placeholder: true' }));
    const report = await validateContent(dir);
    expect(report.ok).toBe(true);
    expect(report.problems.map((p) => [p.field, p.message])).toEqual([
      [
        'chapters.0.images.0.placeholder',
        '"media/scan-a.jpg" is a photo but the image is still marked as a placeholder',
      ],
      ['media', '"media/photo.png" is not used by any image'],
    ]);
  });

  it('recognises media by their first bytes', async () => {
    expect(kindFromBytes(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(kindFromBytes(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(kindFromBytes(Buffer.from('ID3\x04'))).toBe('mp3');
    expect(kindFromBytes(Buffer.from('\uFEFFWEBVTT\n'))).toBe('vtt');
    expect(kindFromBytes(Buffer.from('<?xml version="1.0"?>\n<!-- plate -->\n<svg xmlns="x">'))).toBe('svg');
    expect(kindFromBytes(Buffer.from('<html><svg>'))).toBeUndefined();
  });

  it('leaves the folder as it was', async () => {
    const before = await readFile(path.join(dir, 'exhibit.yaml'), 'utf8');
    await validateContent(dir);
    expect(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).toBe(before);
  });
});
