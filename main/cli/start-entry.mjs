/**
 * `npm start`'s entry (see ./start.ts for what it does). It runs the compiled
 * kiosk, dist/main/cli/start.js, when `npm run build:main` built it from main/
 * exactly as it is now (./build-main.mjs), and the TypeScript sources through
 * tsx otherwise: in a fresh clone, or once main/ has been edited since the
 * build. Plain Node on compiled code reaches the first screen hundreds of
 * milliseconds sooner than tsx, which compiles, or looks up, every module at
 * every start. Plain JavaScript, so Node runs it as it is.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtIsCurrent } from './build-main.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Imports the kiosk's module, or ends this process with one line saying what
 * to run, never Node's stack trace: a build whose files are gone, or sources
 * that cannot run because tsx (a dev dependency) was not installed.
 *
 * @param {() => Promise<any>} load
 * @param {string} line what to print when it cannot be loaded
 */
async function loadOr(load, line) {
  try {
    return await load();
  } catch (error) {
    const code = /** @type {{ code?: unknown }} */ (error)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
    console.error(line);
    process.exit(1);
  }
}

let start;
if (builtIsCurrent(root)) {
  start = await loadOr(
    () => import(pathToFileURL(path.join(root, 'dist', 'main', 'cli', 'start.js')).href),
    'npm start: the compiled kiosk in dist/main is incomplete (files are missing); run npm run build:main, or npm run build.',
  );
} else {
  console.log(
    'npm start: dist/main holds no build of main/ as it is now, so the kiosk runs from its TypeScript sources; npm run build:main makes it start sooner.',
  );
  // In this process: spawning tsx's own command would start a second Node.
  const { register } = await loadOr(
    () => import('tsx/esm/api'),
    'npm start: the compiled kiosk is out of date and tsx (a dev dependency) is not installed; run npm install, or npm run build.',
  );
  register();
  start = await import('./start.ts');
}
await start.cli(process.argv.slice(2));
