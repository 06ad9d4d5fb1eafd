/**
 * The staff guide's scan walk-through, run as written: the commands are read
 * from docs/staff-guide.md (sections 2 to 7), the edit from its before/after
 * example, and run on a copy of the bundled exhibit with a camera-sized scan.
 * If the guide and the tool drift apart, this fails.
 */
import { readFile, rm, writeFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContentCli } from '../../main/kiosk/content-cli.js';
import { bundledExhibitDir } from '../../main/kiosk/paths.js';
import { initContent } from '../../main/content/init.js';
import { formatProblem } from '../../main/content/load.js';
import { CAPTION_BUDGET, IMAGE_LIMIT_WORDS, validateContent } from '../../main/content/validate.js';
import { captureOut, cleanup, tempDir } from './content-fixtures.js';

const GUIDE = path.resolve(import.meta.dirname, '../../docs/staff-guide.md');
const FOLDER = '~/exhibits/my-exhibit';
/** The guide's own folder for content and packages, outside the software folder. */
const HOME_EXHIBITS = '~/exhibits/';

/** The guide split by its numbered `## N.` sections. */
function sections(guide: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const part of guide.split(/^## /m)) {
    const n = /^(\d+)\. /.exec(part)?.[1];
    if (n) out.set(Number(n), part);
  }
  return out;
}

/** Every `npm run content -- …` command of a section, in order (code blocks and inline code). */
function commands(section: string): string[][] {
  return [...section.matchAll(/npm run content -- ([^`\n]+)/g)].map((m) => m[1]!.trim().split(/\s+/));
}

/** The section's `yaml` code blocks, without their `# before` notes. */
function yamlBlocks(section: string): string[] {
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) =>
    m[1]!
      .split('\n')
      .map((l) => l.replace(/\s+# before$/, '').trim())
      .filter(Boolean)
      .join('\n'),
  );
}

let work: string;
let guide: string;
beforeAll(async () => {
  work = await tempDir('vitrine-guide-');
  guide = await readFile(GUIDE, 'utf8');
});
afterAll(() => cleanup(work));

describe('the staff guide', () => {
  it('states the image and caption limits exactly as the tool does', () => {
    const flat = guide.replace(/\s+/g, ' ');
    expect(flat.includes(IMAGE_LIMIT_WORDS), `the guide should say: ${IMAGE_LIMIT_WORDS}`).toBe(true);
    expect(flat).toContain(
      `at most ${Math.min(CAPTION_BUDGET.landscape, CAPTION_BUDGET.portrait)} characters`,
    );
    expect(flat).not.toMatch(/at most 4096 × 4096 pixels/);
  });

  it('keeps content, packages and keys out of the software folder', () => {
    const args = [...guide.matchAll(/npm run (?:content|preview) -- ([^`\n]+)/g)].flatMap((m) =>
      m[1]!.trim().split(/\s+/),
    );
    const paths = args.filter((a) => /my-exhibit|\.zip$|keys|\.key$|\.pub$/.test(a) && !a.startsWith('--'));
    expect(paths.length).toBeGreaterThan(5);
    // A package name alone is fine where the guide copies it to a kiosk's inbox or applies it there.
    const inSoftware = paths.filter((a) => !a.startsWith('~/') && !/^[\w-]+\.zip$/.test(a));
    expect(inSoftware).toEqual([]);
    expect(guide).toMatch(/npm run content -- pack ~\/exhibits\/my-exhibit ~\/exhibits\//);
    expect(guide).toMatch(/keygen --out ~\//);
    // Every check names the folder it checks: the command refuses to run without one.
    const validates = [...guide.matchAll(/npm run content -- (validate[^`\n]*)/g)].map((m) => m[1]!.trim());
    expect(validates.filter((v) => v.split(/\s+/).length < 2)).toEqual([]);
  });

  it('shows a translation warning exactly as the check prints it for the bundled exhibit', async () => {
    const six = sections(guide).get(6)!;
    const list = /1\. Add it to the list: `(languages: \[[^\]]+\])`/.exec(six)?.[1];
    const example = /`(exhibit\.yaml:\d+:\d+ {2}[^`]+)`/.exec(six)?.[1];
    expect([list, example].every(Boolean)).toBe(true);
    const dir = await initContent(path.join(work, 'six'), { from: bundledExhibitDir() });
    const file = path.join(dir, 'exhibit.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/languages: \[[^\]]+\]/, list!));
    const report = await validateContent(dir);
    const first = report.problems.find((p) => p.message.startsWith('no "de" text'));
    expect(first && formatProblem(first)).toBe(example);
  });

  it(
    'walks a curator from a new folder to a publishable package with a 6000×4000 scan',
    { timeout: 120_000 },
    async () => {
      const parts = sections(guide);
      const scanStep = parts.get(4)!;
      // Step 1: where the scan goes; step 2: the lines to change; step 4: the plate to delete.
      const scanPath = /`~\/exhibits\/my-exhibit\/(media\/scans\/[^`]+\.jpg)`/.exec(scanStep)?.[1];
      const platePath = /Delete the old plate \(`(media\/plates\/[^`]+)`\)/.exec(scanStep)?.[1];
      const [before, after] = yamlBlocks(scanStep);
      expect([scanPath, platePath, before, after].every(Boolean)).toBe(true);

      const folder = path.join(work, 'my-exhibit');
      const resolve = (arg: string) =>
        arg.startsWith(HOME_EXHIBITS)
          ? path.join(work, arg.slice(HOME_EXHIBITS.length))
          : arg.endsWith('.zip') // a package copied onto the kiosk PC (section 9)
            ? path.join(work, arg)
            : arg;
      const run = async (args: string[]) => {
        const io = captureOut();
        const code = await runContentCli(args.map(resolve), io.out);
        return { code, text: [...io.stdout, ...io.stderr].join('\n') };
      };

      const steps = [...parts.entries()]
        .filter(([n]) => n >= 2 && n <= 7)
        .flatMap(([n, text]) => commands(text).map((args) => ({ section: n, args })));
      expect(steps.map((s) => s.args[0])).toEqual(['init', 'build', 'validate', 'pack']);

      let edited = false;
      for (const { section, args } of steps) {
        if (section >= 4 && !edited) {
          edited = true;
          // What the curator does by hand in section 4: the scan in, the two lines changed, the plate out.
          await mkdir(path.dirname(path.join(folder, scanPath!)), { recursive: true });
          await sharp({
            create: {
              width: 6000,
              height: 4000,
              channels: 3,
              background: '#000',
              noise: { type: 'gaussian', mean: 120, sigma: 40 },
            },
          })
            .jpeg({ quality: 85 })
            .toFile(path.join(folder, scanPath!));
          const file = path.join(folder, 'exhibit.yaml');
          const yaml = await readFile(file, 'utf8');
          const lines = yaml.split('\n');
          const at = lines.findIndex((l) => l.trim() === before!.split('\n')[0]);
          expect(at).toBeGreaterThanOrEqual(0);
          const indent = lines[at]!.slice(0, lines[at]!.indexOf('-'));
          const old = before!.split('\n');
          expect(lines.slice(at, at + old.length).map((l) => l.trim())).toEqual(old);
          const replacement = after!.split('\n').map((l, i) => (i === 0 ? indent + l : `${indent}  ${l}`));
          lines.splice(at, old.length, ...replacement);
          await writeFile(file, lines.join('\n'));
          await rm(path.join(folder, platePath!));

          // Before build, the check refuses the scan and names the guide's next command.
          const early = await run(['validate', FOLDER]);
          expect(early.code).toBe(1);
          expect(early.text).toContain(`npm run content -- build ${folder}`);
        }
        const result = await run(args);
        expect(result.code, `npm run content -- ${args.join(' ')}\n${result.text}`).toBe(0);
        if (args[0] === 'validate') expect(result.text).toMatch(/OK: ready to publish/);
      }

      // The package holds the scan and its screen copies, and the folder still validates.
      expect(await readdir(work)).toContain('exhibit-2026-11-26.zip');
      const copies = await readdir(path.join(folder, 'media', '_screen', 'scans'));
      expect(copies.sort()).toEqual(['yalta-agreements.1920.webp', 'yalta-agreements.3840.webp']);
      expect((await run(['validate', FOLDER])).code).toBe(0);

      // Section 9's apply installs it: the kiosk's own check of the package agrees.
      const apply = commands(parts.get(9)!).find((args) => args[0] === 'apply');
      expect(apply).toBeDefined();
      const installed = await run([...apply!, '--store', path.join(work, 'store')]);
      expect(installed.code, installed.text).toBe(0);
      expect(installed.text).toMatch(/is now current/);
    },
  );
});
