/**
 * `npm run build:main`: compiles main/ to dist/main with tsc and, when tsc
 * succeeds, stamps the build with a hash of the sources it was compiled from.
 * `npm start` (./start-entry.mjs) runs the compiled kiosk only while that hash
 * still matches main/ as it is, so an edit never leaves stale code running.
 * Plain JavaScript: `npm start` reads the stamp before any TypeScript can load.
 * With `--check` it builds nothing and exits 0 only when the build is current.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The build's stamp, under the package root. */
export const STAMP_FILE = path.join('dist', 'main', 'build-stamp.json');

/**
 * A hash of everything tsc compiles dist/main from: the content of every `.ts`
 * file under main/ but main/tools/ (as main/tsconfig.build.json includes them)
 * and of the two tsconfig files. Contents, not times, so a file copied in with
 * an old date (an archive, `rsync -a`) counts as a change. About 100 files:
 * a few milliseconds.
 *
 * @param {string} root the package root
 * @returns {string}
 */
export function sourceHash(root) {
  const main = path.join(root, 'main');
  const files = readdirSync(main, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) =>
      path
        .relative(root, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    )
    .filter((f) => !f.startsWith('main/tools/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of ['tsconfig.json', 'main/tsconfig.build.json', ...files]) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Whether dist/main holds a finished build of main/ exactly as it is now.
 *
 * @param {string} root the package root
 * @returns {boolean}
 */
export function builtIsCurrent(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, STAMP_FILE), 'utf8'));
  } catch {
    return false;
  }
  try {
    return typeof stamp?.sources === 'string' && stamp.sources === sourceHash(root);
  } catch {
    return false;
  }
}

/**
 * Compiles main/ and stamps the build. The hash is taken before tsc reads the
 * sources, so a file saved while it compiles leaves the build unstamped (stale)
 * rather than stamped with code it does not hold; a failed compile removes the stamp.
 *
 * @param {string} root the package root
 * @returns {number} tsc's exit code
 */
function buildMain(root) {
  const stamp = path.join(root, STAMP_FILE);
  const sources = sourceHash(root);
  rmSync(stamp, { force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join('main', 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  const code = result.status ?? 1;
  if (code === 0) {
    mkdirSync(path.dirname(stamp), { recursive: true });
    writeFileSync(stamp, `${JSON.stringify({ sources })}\n`);
  }
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  // `--check`: only say (exit 0 or 1) whether dist/main is current, for callers that cannot import this file.
  process.exitCode = process.argv[2] === '--check' ? (builtIsCurrent(root) ? 0 : 1) : buildMain(root);
}
