/**
 * knip: finds unused files, exports and dependencies, and dependencies in the
 * wrong section. `npm run check` runs it twice (see package.json):
 *
 * - whole project: unused files, exports, types and packages, unlisted packages;
 * - `--production --strict`, dependencies only: the code the packaged app runs
 *   in Node (patterns ending in `!`: the Electron main process and the content
 *   CLI it ships) may import only packages listed in `dependencies`, and every
 *   package there must be imported by that code.
 *
 * The renderer is not production code here: Vite bundles it into
 * dist/renderer, so the packages it imports are devDependencies.
 */
import type { KnipConfig } from 'knip';

const production = process.argv.includes('--production');

const config: KnipConfig = {
  entry: [
    'src/main.ts',
    'main/electron/main.ts!',
    // The npm script already makes it an entry, but only a `!` pattern makes it production code.
    ...(production ? ['main/cli/content.ts!'] : []),
    'main/cli/!(content).ts',
    'main/tools/*.ts',
    'tests/**/*.ts',
    'electron.config.ts',
    // Merged by src/lib/i18n/index.ts through import.meta.glob, which knip does not follow; the lazy
    // ones' tables are read by the dictionary test through an import it cannot follow either.
    'src/lib/i18n/!(index|types).ts',
    'src/lib/i18n/lazy/*.ts',
  ],
  project: ['src/**/*.{ts,svelte}', 'main/**/*.ts!', 'tests/**/*.ts'],
  // The Vite plugin would make index.html's script a production entry; the renderer is listed above instead.
  vite: false,
  ignoreDependencies: [
    // Loaded through createRequire() by the plate and map tools, which knip does not follow.
    'subset-font',
    'world-atlas',
    // Loaded through createRequire() by the metrics tests (it ships CommonJS only).
    'parse-prometheus-text-format',
    ...(production
      ? [
          // The Electron runtime provides it; electron-builder wants the package in devDependencies.
          'electron',
          // Imported only when present, to format the schema file inside the repository; the packaged app has none.
          'prettier',
          // npm start's entry runs a source checkout's main/ through it when main/ is not built; the packaged app has no npm start.
          'tsx',
        ]
      : []),
  ],
  // Programs the tools and the launcher run from the system, not npm packages.
  ignoreBinaries: ['xdpyinfo', 'Xvfb', 'sox', 'soxi', 'espeak-ng', 'openssl', 'mkfifo'],
};

export default config;
