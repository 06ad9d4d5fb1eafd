/**
 * Where the kiosk's files are, answered once: the package root, the built
 * renderer, the bundled exhibit and the user-data folder. Every host, the
 * content CLI and the tests ask here.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXHIBIT_FILE } from '../content/load.js';

/** The repository (or installed package) root: the nearest folder above this module with a package.json. */
export function packageRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    // Fall back to the layout of the source tree (main/kiosk -> repo root).
    if (parent === dir) return path.resolve(from, '..', '..');
    dir = parent;
  }
}

/** The built renderer (`npm run build:renderer` writes it). */
export function builtRendererDir(root: string = packageRoot()): string {
  return path.join(root, 'dist', 'renderer');
}

/** What {@link bundledExhibitDir} looks at; each defaults to this process's own. */
export interface ExhibitWhere {
  env?: Record<string, string | undefined>;
  /** The packaged app's resources folder, which holds the shipped exhibit as a plain folder. */
  resourcesPath?: string;
  /** The package root; default {@link packageRoot}. */
  root?: string;
}

/** This process's resources folder when it runs from a packaged app that ships the exhibit (Electron sets it). */
function packagedResources(): string | undefined {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return resources && existsSync(path.join(resources, 'exhibit', EXHIBIT_FILE)) ? resources : undefined;
}

/**
 * The exhibit that ships with the app: `VITRINE_BUNDLED_EXHIBIT` if set, else
 * `<resources>/exhibit` in the packaged app (a real folder, so it can be
 * watched and copied, see electron.config.ts), else `assets/exhibit`.
 */
export function bundledExhibitDir(where: ExhibitWhere = {}): string {
  const fromEnv = (where.env ?? process.env).VITRINE_BUNDLED_EXHIBIT;
  if (fromEnv?.trim()) return path.resolve(fromEnv);
  const resources = where.resourcesPath ?? packagedResources();
  if (resources) return path.join(resources, 'exhibit');
  return path.join(where.root ?? packageRoot(), 'assets', 'exhibit');
}

/**
 * Whether `dir` is the exhibit shipped with the app. Such content only seeds
 * an empty content store, so an app update never replaces the museum's own.
 */
export function isBundledExhibit(dir: string, where: ExhibitWhere = {}): boolean {
  const candidates = [bundledExhibitDir(where), path.join(where.root ?? packageRoot(), 'assets', 'exhibit')];
  return candidates.some((c) => path.resolve(c) === path.resolve(dir));
}

/**
 * Where the operating system keeps the app's user data: what Electron's
 * `app.getPath('userData')` gives for "Vitrine", so the browser host and the
 * content CLI find the same `config.json`, store and staff PIN.
 */
export function userDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Vitrine');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Vitrine');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Vitrine');
}
