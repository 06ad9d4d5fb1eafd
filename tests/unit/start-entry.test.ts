/**
 * `npm start`'s entry (main/cli/start-entry.mjs) runs the compiled kiosk only
 * when `npm run build:main` (main/cli/build-main.mjs) built it from main/ as it
 * is now, and the TypeScript sources otherwise. Run here, as `npm start` runs
 * them, on a package of their own whose start.ts says which of the two ran.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureMainBuilt } from '../../main/cli/start.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..', '..');
const FALLBACK = 'npm start: dist/main holds no build of main/ as it is now';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'vitrine-start-entry-'));
  await mkdir(path.join(root, 'main', 'cli'), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  await writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
  await writeFile(
    path.join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2023', lib: ['ES2023', 'DOM'], types: [], strict: true },
    }),
  );
  await cp(path.join(repo, 'main', 'tsconfig.build.json'), path.join(root, 'main', 'tsconfig.build.json'));
  for (const file of ['start-entry.mjs', 'build-main.mjs']) {
    await cp(path.join(repo, 'main', 'cli', file), path.join(root, 'main', 'cli', file));
  }
  await writeStart('first');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A start.ts that prints which code ran (its compiled copy ends in .js) and what it was given. */
async function writeStart(version: string) {
  await writeFile(
    path.join(root, 'main', 'cli', 'start.ts'),
    `export async function cli(argv: readonly string[]): Promise<void> {
  console.log(\`ran \${import.meta.url.endsWith('.ts') ? 'sources' : 'compiled'} ${version} \${argv.join(' ')}\`);
}
`,
  );
}

/** `npm start -- --no-open`, as the npm script runs it. */
async function start(): Promise<string> {
  const { stdout } = await run(process.execPath, ['main/cli/start-entry.mjs', '--no-open'], { cwd: root });
  return stdout;
}

/** `npm run build:main`; its exit code. */
async function buildMain(): Promise<number> {
  return run(process.execPath, ['main/cli/build-main.mjs'], { cwd: root }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? 1,
  );
}

describe("npm start's entry", () => {
  it('runs the sources through tsx, and says so, when nothing is built (a fresh clone)', async () => {
    const out = await start();
    expect(out).toContain(FALLBACK);
    expect(out).toContain('ran sources first --no-open');
  });

  it('runs the compiled kiosk once build:main has built main/ as it is', async () => {
    expect(await buildMain()).toBe(0);
    const out = await start();
    expect(out).not.toContain(FALLBACK);
    expect(out).toContain('ran compiled first --no-open');
  }, 30_000);

  it('never runs the build once a source has changed since, even one copied in with an older date', async () => {
    expect(await buildMain()).toBe(0);
    await writeStart('edited');
    expect(await start()).toContain('ran sources edited');
    // As an archive or `rsync -a` leaves it: new content, a date from before the build.
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(root, 'main', 'cli', 'start.ts'), past, past);
    expect(await start()).toContain('ran sources edited');
    // A file added to main/ counts too.
    expect(await buildMain()).toBe(0);
    await writeFile(path.join(root, 'main', 'cli', 'new-module.ts'), 'export const added = 1;\n');
    expect(await start()).toContain('ran sources edited');
  }, 30_000);

  it('runs the sources when the stamp is empty, cut short or not a stamp, as after a power cut', async () => {
    expect(await buildMain()).toBe(0);
    const stamp = path.join(root, 'dist', 'main', 'build-stamp.json');
    const whole = await readFile(stamp, 'utf8');
    for (const damaged of ['', whole.slice(0, 20), '{"sources": 42}', 'null', '\u0000\u0000']) {
      await writeFile(stamp, damaged);
      const out = await start();
      expect(out).toContain(FALLBACK);
      expect(out).toContain('ran sources first');
    }
    await writeFile(stamp, whole);
    expect(await start()).toContain('ran compiled first');
  }, 60_000);

  it('leaves a build that failed unstamped, so the sources run', async () => {
    expect(await buildMain()).toBe(0);
    await writeFile(
      path.join(root, 'main', 'cli', 'broken.ts'),
      'export const n: number = "not a number";\n',
    );
    expect(await buildMain()).not.toBe(0);
    await expect(readFile(path.join(root, 'dist', 'main', 'build-stamp.json'))).rejects.toThrow();
    expect(await start()).toContain('ran sources first');
  }, 30_000);
});

/** `npm start` expected to fail: its exit code and what it printed on stderr. */
async function failedStart(): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, ['main/cli/start-entry.mjs', '--no-open'], { cwd: root }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code?: number; stderr?: string }) => ({ code: error.code ?? -1, stderr: error.stderr ?? '' }),
  );
}

describe("npm start's entry, when what it needs is missing", () => {
  it('says in one line to install or build when the build is stale and tsx is not installed', async () => {
    // As `npm ci --omit=dev` leaves it: no tsx.
    await rm(path.join(root, 'node_modules'));
    await mkdir(path.join(root, 'node_modules'));
    const { code, stderr } = await failedStart();
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'npm start: the compiled kiosk is out of date and tsx (a dev dependency) is not installed; run npm install, or npm run build.',
    );
  });

  it('says in one line to build again when the stamped build has lost its files', async () => {
    expect(await buildMain()).toBe(0);
    await rm(path.join(root, 'dist', 'main', 'cli', 'start.js'));
    const { code, stderr } = await failedStart();
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'npm start: the compiled kiosk in dist/main is incomplete (files are missing); run npm run build:main, or npm run build.',
    );
  }, 30_000);
});

describe("Electron's compiled main, rebuilt by npm start", () => {
  it('is rebuilt when main/ changed since the build, by content, not by date', async () => {
    await mkdir(path.join(root, 'main', 'electron'), { recursive: true });
    await writeFile(path.join(root, 'main', 'electron', 'main.ts'), 'export const main = 1;\n');
    expect(await buildMain()).toBe(0);
    const lines: string[] = [];
    const entry = await ensureMainBuilt(root, (line) => lines.push(line));
    expect(entry).toBe(path.join(root, 'dist', 'main', 'electron', 'main.js'));
    // Saved again unchanged, with a newer date: still the same build.
    const future = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'main', 'electron', 'main.ts'), future, future);
    await ensureMainBuilt(root, (line) => lines.push(line));
    expect(lines).toEqual([]);
    // New content with an old date (an archive, `rsync -a`): rebuilt.
    await writeFile(path.join(root, 'main', 'electron', 'main.ts'), 'export const main = 2;\n');
    const past = new Date('2020-01-01T00:00:00Z');
    await utimes(path.join(root, 'main', 'electron', 'main.ts'), past, past);
    await ensureMainBuilt(root, (line) => lines.push(line));
    expect(lines.some((line) => line.startsWith('Building the main process'))).toBe(true);
    expect(await readFile(entry, 'utf8')).toContain('main = 2');
  }, 60_000);
});
