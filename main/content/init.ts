/**
 * `content init DIR`: starts a content folder from the bundled exhibit, set
 * up so an editor autocompletes fields and underlines mistakes.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContentError, EXIT } from './errors.js';
import { EXHIBIT_FILE } from './load.js';
import { SCHEMA_FILE, SCHEMA_MODELINE, writeJsonSchema } from './schema-json.js';

/**
 * Where the bundled exhibit lives: `VITRINE_BUNDLED_EXHIBIT` if set, else
 * `<resources>/exhibit` in the packaged app, else the first `assets/exhibit/`
 * above this module (source tree or `dist/main`).
 */
export function bundledExhibitDir(): string {
  const fromEnv = process.env.VITRINE_BUNDLED_EXHIBIT;
  if (fromEnv) return path.resolve(fromEnv);
  // The packaged app ships the exhibit as a real folder in its resources (see electron.config.ts).
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(path.join(resources, 'exhibit', EXHIBIT_FILE)))
    return path.join(resources, 'exhibit');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'assets', 'exhibit');
    if (existsSync(path.join(candidate, EXHIBIT_FILE))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new ContentError('the bundled exhibit cannot be found; set VITRINE_BUNDLED_EXHIBIT', EXIT.usage);
    dir = parent;
  }
}

/** Puts the YAML language server's schema line at the top of an exhibit text, once. */
export function withModeline(text: string): string {
  if (text.split('\n', 1)[0]?.trim() === SCHEMA_MODELINE) return text;
  const rest = text.replace(/^# yaml-language-server:.*\n/, '');
  return `${SCHEMA_MODELINE}\n${rest}`;
}

/** Editor settings for VS Code with the YAML extension, written into `.vscode/`. */
const VSCODE_SETTINGS = {
  'yaml.schemas': { [`./${SCHEMA_FILE}`]: EXHIBIT_FILE },
  'yaml.validate': true,
  'yaml.completion': true,
  'editor.wordWrap': 'on',
  'files.encoding': 'utf8',
};
const VSCODE_EXTENSIONS = { recommendations: ['redhat.vscode-yaml'] };

/** Options for {@link initContent}. */
export interface InitOptions {
  /** Folder to copy from; defaults to the bundled exhibit. */
  from?: string;
}

/**
 * Copies the bundled exhibit into `target`, which must be missing or empty,
 * and adds the JSON Schema and editor settings. Returns the folder written.
 */
export async function initContent(target: string, opts: InitOptions = {}): Promise<string> {
  const dir = path.resolve(target);
  const from = opts.from ? path.resolve(opts.from) : bundledExhibitDir();
  if (existsSync(dir)) {
    const entries = await readdir(dir).catch(() => {
      throw new ContentError(`${dir} exists and is not a folder`, EXIT.usage);
    });
    if (entries.length > 0) {
      throw new ContentError(
        `${dir} is not empty; init never overwrites a folder — choose a new or empty folder`,
        EXIT.usage,
      );
    }
  }
  await mkdir(dir, { recursive: true });
  await cp(from, dir, {
    recursive: true,
    // A stale schema is never copied: a fresh one is written from the code below.
    filter: (src) => path.basename(src) !== SCHEMA_FILE,
  });
  const exhibitPath = path.join(dir, EXHIBIT_FILE);
  await writeFile(exhibitPath, withModeline(await readFile(exhibitPath, 'utf8')));
  await writeJsonSchema(path.join(dir, SCHEMA_FILE));
  await mkdir(path.join(dir, '.vscode'), { recursive: true });
  await writeFile(
    path.join(dir, '.vscode', 'settings.json'),
    `${JSON.stringify(VSCODE_SETTINGS, null, 2)}\n`,
  );
  await writeFile(
    path.join(dir, '.vscode', 'extensions.json'),
    `${JSON.stringify(VSCODE_EXTENSIONS, null, 2)}\n`,
  );
  return dir;
}
