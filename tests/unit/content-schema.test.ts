import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { initContent, withModeline } from '../../main/content/init.js';
import { bundledExhibitDir } from '../../main/kiosk/paths.js';
import { exhibitJsonSchema, findUnknownKeys, SCHEMA_MODELINE } from '../../main/content/schema-json.js';
import { validateContent } from '../../main/content/validate.js';
import { captureOut, cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

const root = path.resolve(import.meta.dirname, '../..');
let work: string;
beforeEach(async () => {
  work = await tempDir();
});
afterEach(() => cleanup(work));

describe('exhibit JSON Schema', () => {
  it('in assets/exhibit is up to date with the zod schema (run: npm run content -- schema assets/exhibit/exhibit.schema.json)', async () => {
    const onDisk = JSON.parse(await readFile(path.join(root, 'assets/exhibit/exhibit.schema.json'), 'utf8'));
    expect(onDisk).toEqual(exhibitJsonSchema());
  });

  it('accepts the bundled exhibit and underlines a misspelt field, as an editor would', async () => {
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
      exhibitJsonSchema(),
    );
    const data = parse(await readFile(path.join(root, 'assets/exhibit/exhibit.yaml'), 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    const typo = parse(exhibitYaml({ imageExtra: '\n        captoin: { en: x, ru: x }' }));
    expect(validate(typo)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'captoin' } }),
    );
  });

  it('finds unknown keys with the keys allowed in their place', () => {
    const data = parse(exhibitYaml({ imageExtra: '\n        captoin: { en: x, ru: x }' }));
    data.settings.idelSeconds = 5;
    const found = findUnknownKeys(data);
    expect(found.map((u) => [u.path.join('.'), u.key])).toEqual([
      ['settings', 'idelSeconds'],
      ['chapters.0.images.0', 'captoin'],
    ]);
    expect(found[1]?.known).toContain('caption');
  });
});

describe('content init', () => {
  it('starts a folder from the bundled exhibit, with schema and editor settings, that validates', async () => {
    const dir = path.join(work, 'my-exhibit');
    const { out, stdout } = captureOut();
    expect(await runContentCli(['init', dir], out)).toBe(0);
    expect(stdout.join('\n')).toMatch(/Created .*my-exhibit/);
    const yaml = await readFile(path.join(dir, 'exhibit.yaml'), 'utf8');
    expect(yaml.split('\n')[0]).toBe(SCHEMA_MODELINE);
    expect(JSON.parse(await readFile(path.join(dir, 'exhibit.schema.json'), 'utf8'))).toEqual(
      exhibitJsonSchema(),
    );
    const settings = JSON.parse(await readFile(path.join(dir, '.vscode', 'settings.json'), 'utf8'));
    expect(settings['yaml.schemas']).toEqual({ './exhibit.schema.json': 'exhibit.yaml' });
    const bundledMedia = await readdir(path.join(bundledExhibitDir(), 'media'), { recursive: true });
    expect((await readdir(path.join(dir, 'media'), { recursive: true })).sort()).toEqual(bundledMedia.sort());
    const report = await validateContent(dir);
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('refuses to overwrite a folder that is not empty, and leaves it alone', async () => {
    const dir = await makeContent(path.join(work, 'existing'));
    await writeFile(path.join(dir, 'notes.txt'), 'mine');
    const { out, stderr } = captureOut();
    expect(await runContentCli(['init', dir], out)).toBe(2);
    expect(stderr).toEqual([
      expect.stringMatching(/^content: .*existing is not empty; init never overwrites/),
    ]);
    expect(await readFile(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readFile(path.join(dir, 'exhibit.yaml'), 'utf8')).toBe(exhibitYaml());
    await mkdir(path.join(work, 'empty'));
    await expect(initContent(path.join(work, 'empty'), { from: bundledExhibitDir() })).resolves.toBe(
      path.join(work, 'empty'),
    );
  });

  it('puts the schema line on top exactly once', () => {
    expect(withModeline('a: 1\n')).toBe(`${SCHEMA_MODELINE}\na: 1\n`);
    expect(withModeline(withModeline('a: 1\n'))).toBe(`${SCHEMA_MODELINE}\na: 1\n`);
    expect(withModeline('# yaml-language-server: $schema=old.json\na: 1\n')).toBe(
      `${SCHEMA_MODELINE}\na: 1\n`,
    );
  });
});
