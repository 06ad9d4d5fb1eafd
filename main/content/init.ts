/**
 * `content init DIR`: starts a content folder from the bundled exhibit, set
 * up so an editor autocompletes fields and underlines mistakes.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContentError, EXIT } from './errors.js';
import { EXHIBIT_FILE } from './load.js';
import { SCHEMA_FILE, SCHEMA_MODELINE, writeJsonSchema } from './schema-json.js';

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
  /** Folder to copy from: the bundled exhibit (`bundledExhibitDir()` in main/kiosk/paths.ts). */
  from: string;
}

/**
 * Copies the bundled exhibit (`from`) into `target`, which must be missing or empty,
 * and adds the JSON Schema and editor settings. Returns the folder written.
 */
export async function initContent(target: string, opts: InitOptions): Promise<string> {
  const dir = path.resolve(target);
  const from = path.resolve(opts.from);
  if (!existsSync(path.join(from, EXHIBIT_FILE)))
    throw new ContentError(
      `the bundled exhibit cannot be found at ${from}; set VITRINE_BUNDLED_EXHIBIT`,
      EXIT.usage,
    );
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
