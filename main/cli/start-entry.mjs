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
let start;
if (builtIsCurrent(root)) {
  start = await import(pathToFileURL(path.join(root, 'dist', 'main', 'cli', 'start.js')).href);
} else {
  console.log(
    'npm start: dist/main holds no build of main/ as it is now, so the kiosk runs from its TypeScript sources; npm run build:main makes it start sooner.',
  );
  // In this process: spawning tsx's own command would start a second Node.
  const { register } = await import('tsx/esm/api');
  register();
  start = await import('./start.ts');
}
await start.cli(process.argv.slice(2));
