/**
 * Layering is enforced here, not hoped for: the renderer is a plain web app
 * (no Electron, no Node built-ins), Node code never pulls in Svelte, and
 * main/ is layered by folder (the table below) so a folder's name tells what
 * it may lean on.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(full);
  }
  return out;
}

/** Module specifiers of static imports, dynamic imports and re-exports. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[^'"]*?\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/**
 * An import and whether it is `import type` / `export type` (erased from the
 * JavaScript). `kind` marks the two other ways a module reaches another:
 * `url`, a `new URL('<relative>', import.meta.url)` (a path that can be
 * loaded); `computed`, a dynamic `import(...)` or `new URL(..., import.meta.url)`
 * whose path is not a string literal, so no check can tell where it leads.
 */
export interface ImportRef {
  spec: string;
  typeOnly: boolean;
  kind?: 'url' | 'computed';
}

/** Like {@link importsOf}, also telling type-only imports, import.meta.url paths and computed imports apart. */
export function importRefs(source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  const patterns = [
    /\b(?:import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*()['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*()['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of source.matchAll(re)) refs.push({ spec: m[2]!, typeOnly: Boolean(m[1]) });
  }
  // A dynamic import of anything but one plain string literal.
  for (const m of source.matchAll(/\bimport\s*\(\s*(?!['"][^'"]*['"]\s*\))([^)]*)\)/g)) {
    refs.push({ spec: m[1]!.trim(), typeOnly: false, kind: 'computed' });
  }
  for (const m of source.matchAll(
    /\bnew\s+URL\s*\(\s*((?:[^,()]|\([^()]*\))*?)\s*,\s*import\.meta\.url\s*\)/g,
  )) {
    const literal = /^(['"`])([^'"`$]*)\1$/.exec(m[1]!);
    refs.push(
      literal
        ? { spec: literal[2]!, typeOnly: false, kind: 'url' }
        : { spec: m[1]!, typeOnly: false, kind: 'computed' },
    );
  }
  return refs;
}

/**
 * The tools that take data files outside main/ (assets/, the repository
 * root) by `new URL('<relative>', import.meta.url)`. Anywhere else such a
 * path is reported: code reaches other code by import, which the layer table
 * checks.
 */
const URL_DATA_TOOLS: ReadonlySet<string> = new Set([
  'main/tools/bench.ts',
  'main/tools/bench-endurance.ts',
  'main/tools/make-map-data.ts',
  'main/tools/make-narration.ts',
  'main/tools/make-sounds.ts',
]);

/**
 * The layers of main/, bottom first: a module may import its own folder and
 * the folders listed for it, nothing else. A folder not in this table fails
 * the test until it is given a place here.
 */
export const LAYERS: Readonly<Record<string, readonly string[]>> = {
  // The HTTP contract: types and tiny pure functions the page shares (see the contract rule below).
  contract: [],
  // Small Node helpers: atomic write, the event log, safe paths.
  common: ['contract'],
  // Visitor counts and the content history: aggregates only, kept on disk.
  insight: ['contract', 'common'],
  // The Prometheus registry and its own listener; fed by whoever assembles the kiosk.
  metrics: ['contract', 'common'],
  content: ['contract', 'common'],
  // Publishing to, and following, a channel on a plain web server.
  fleet: ['contract', 'common', 'content'],
  // Staff services: PIN auth, the error ring.
  staff: ['contract', 'common', 'content'],
  // The one Request -> Response handler.
  handler: ['contract', 'common', 'insight', 'content', 'staff'],
  // The one composition root of a kiosk host.
  kiosk: ['contract', 'common', 'insight', 'metrics', 'content', 'fleet', 'staff', 'handler'],
  // The node:http host.
  hosts: ['contract', 'common', 'handler'],
  // The thin Electron layer.
  electron: [
    'contract',
    'common',
    'insight',
    'metrics',
    'content',
    'fleet',
    'staff',
    'handler',
    'kiosk',
    'hosts',
  ],
  // Command-line entry points; never Electron (npm start finds its binary without importing it).
  cli: ['contract', 'common', 'insight', 'metrics', 'content', 'fleet', 'staff', 'handler', 'kiosk', 'hosts'],
  // Build and bench tools.
  tools: [
    'contract',
    'common',
    'insight',
    'metrics',
    'content',
    'fleet',
    'staff',
    'handler',
    'kiosk',
    'hosts',
    'electron',
    'cli',
  ],
};

/** The one file the contract may take types from (it describes the validated exhibit). */
const CONTRACT_TYPE_SOURCE = 'main/content/schema.js';

/** `main/<layer>/...` -> `<layer>`; a file directly in main/ has the layer "" (not in the table). */
function layerOf(rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts[0] !== 'main') return undefined;
  return parts.length > 2 ? parts[1]! : '';
}

/**
 * Why a main/ file may not make this import, as `file -> target (why)`, or
 * undefined if it may. `file` is relative to the repository root, with `/`.
 */
export function layerViolation(file: string, ref: ImportRef): string | undefined {
  const from = layerOf(file);
  if (from === undefined) return undefined;
  if (!(from in LAYERS)) return `${file} -> ${ref.spec} (layer ${from || 'main/'} is not in the layer table)`;
  if (ref.kind === 'computed') {
    return `${file} -> ${ref.spec} (a computed path the layer check cannot follow: import a string literal)`;
  }
  if (ref.kind === 'url' && !ref.spec.startsWith('.')) {
    return `${file} -> ${ref.spec} (an import.meta.url path must be relative)`;
  }
  if (!ref.spec.startsWith('.')) {
    return from === 'contract'
      ? `${file} -> ${ref.spec} (layer contract may not import packages)`
      : undefined;
  }
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), ref.spec));
  const to = layerOf(target);
  if (to === undefined && ref.kind === 'url' && !URL_DATA_TOOLS.has(file)) {
    return `${file} -> ${target} (an import.meta.url path out of main/; only the data tools in URL_DATA_TOOLS may)`;
  }
  // Outside main/ (assets, package.json): main/ never imports src/, checked below.
  if (to === undefined || to === from) return undefined;
  if (!(to in LAYERS)) return `${file} -> ${target} (layer ${to || 'main/'} is not in the layer table)`;
  if (from === 'contract') {
    return ref.typeOnly && target === CONTRACT_TYPE_SOURCE
      ? undefined
      : `${file} -> ${target} (layer contract may not import layer ${to}; only \`import type\` from ${CONTRACT_TYPE_SOURCE.replace(/\.js$/, '.ts')})`;
  }
  return LAYERS[from]!.includes(to)
    ? undefined
    : `${file} -> ${target} (layer ${from} may not import layer ${to})`;
}

/** Every layer violation in main/. */
function mainViolations(): string[] {
  const problems: string[] = [];
  for (const full of filesUnder(path.join(root, 'main'), ['.ts'])) {
    const file = path.relative(root, full).split(path.sep).join('/');
    for (const ref of importRefs(readFileSync(full, 'utf8'))) {
      const why = layerViolation(file, ref);
      if (why) problems.push(why);
    }
  }
  return problems;
}

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Why a renderer import is forbidden, or undefined if it is fine. */
function rendererViolation(spec: string, file: string): string | undefined {
  if (spec === 'electron' || spec.startsWith('electron/')) return 'imports electron';
  if (spec.startsWith('node:') || nodeBuiltins.has(spec)) return `imports the Node built-in ${spec}`;
  if (spec.startsWith('.')) {
    const target = path.resolve(path.dirname(file), spec);
    const rel = path.relative(root, target);
    const isData = rel.startsWith('assets' + path.sep) && !/\.(m?[jt]s|svelte)$/.test(rel);
    const isContract = rel.startsWith(path.join('main', 'contract') + path.sep);
    if (!rel.startsWith('src' + path.sep) && !isContract && !isData) {
      return `reaches outside src/ to ${rel} (only main/contract/ and assets/ data files are shared)`;
    }
  }
  return undefined;
}

describe('layer boundaries', () => {
  it('finds the imports it checks (the scanner itself works)', () => {
    expect(
      importsOf(
        `import a from 'node:fs';\nimport type { X } from "electron";\nconst m = await import('svelte');`,
      ),
    ).toEqual(['node:fs', 'electron', 'svelte']);
    expect(rendererViolation('node:path', path.join(root, 'src/x.ts'))).toMatch(/Node built-in/);
    expect(rendererViolation('fs', path.join(root, 'src/x.ts'))).toMatch(/Node built-in/);
    expect(rendererViolation('../main/hosts/http-host.js', path.join(root, 'src/x.ts'))).toMatch(
      /outside src/,
    );
    expect(rendererViolation('../main/contract/exhibit.js', path.join(root, 'src/x.ts'))).toBeUndefined();
    expect(rendererViolation('../main/content/schema.js', path.join(root, 'src/x.ts'))).toMatch(
      /outside src/,
    );
    expect(rendererViolation('../assets/sounds/tap.ogg', path.join(root, 'src/x.ts'))).toBeUndefined();
    expect(rendererViolation('../assets/evil.ts', path.join(root, 'src/x.ts'))).toMatch(/outside src/);
  });

  it('src/ imports no electron, no node:* and nothing from main/ but the contract', () => {
    const problems: string[] = [];
    // vite.config.ts is the build tool's config, run by Node, never shipped to the page.
    const renderer = filesUnder(path.join(root, 'src'), ['.ts', '.svelte', '.js']).filter(
      (f) => path.basename(f) !== 'vite.config.ts',
    );
    for (const file of renderer) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const why = rendererViolation(spec, file);
        if (why) problems.push(`${path.relative(root, file)} ${why}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the layer checker reports an upward import, an unknown folder and a contract that reaches out', () => {
    const at = (file: string, spec: string, typeOnly = false) => layerViolation(file, { spec, typeOnly });
    expect(at('main/content/store.ts', '../kiosk/config.js')).toBe(
      'main/content/store.ts -> main/kiosk/config.js (layer content may not import layer kiosk)',
    );
    expect(at('main/handler/staff.ts', '../kiosk/services.js')).toMatch(
      /layer handler may not import layer kiosk/,
    );
    expect(at('main/electron/main.ts', '../cli/start.js')).toMatch(/layer electron may not import layer cli/);
    expect(at('main/cli/start.ts', '../electron/main.js')).toMatch(/layer cli may not import layer electron/);
    expect(at('main/hosts/http-host.ts', '../content/store.js')).toMatch(
      /layer hosts may not import layer content/,
    );
    expect(at('main/kiosk/assemble.ts', '../handler/handler.js')).toBeUndefined();
    expect(at('main/kiosk/assemble.ts', './config.js')).toBeUndefined();
    expect(at('main/tools/bench.ts', '../cli/preview.js')).toBeUndefined();
    expect(at('main/misc/x.ts', '../content/load.js')).toMatch(/layer misc is not in the layer table/);
    expect(at('main/x.ts', './content/load.js')).toMatch(/layer main\/ is not in the layer table/);
    expect(at('main/content/x.ts', '../misc/y.js')).toMatch(/layer misc is not in the layer table/);
    expect(at('main/contract/exhibit.ts', '../content/schema.js', true)).toBeUndefined();
    expect(at('main/contract/exhibit.ts', '../content/schema.js')).toMatch(/layer contract may not import/);
    expect(at('main/contract/exhibit.ts', '../content/load.js', true)).toMatch(/layer contract/);
    expect(at('main/contract/exhibit.ts', 'zod')).toMatch(/layer contract may not import packages/);
    expect(at('main/contract/exhibit.ts', './problems.js')).toBeUndefined();
    expect(
      importRefs(
        `import type { A } from './a.js';\nimport { b } from './b.js';\nexport type { C } from './c.js';`,
      ),
    ).toEqual([
      { spec: './a.js', typeOnly: true },
      { spec: './b.js', typeOnly: false },
      { spec: './c.js', typeOnly: true },
    ]);
  });

  it('the layer checker reports what an import scan alone would miss: computed imports and import.meta.url paths', () => {
    // Through importRefs, as the real scan reads a file.
    const scan = (file: string, source: string) =>
      importRefs(source)
        .map((ref) => layerViolation(file, ref))
        .filter(Boolean);
    const dodge = `const entry = new URL('../cli/content.js', import.meta.url).href;\nconst m = await import(entry);`;
    expect(scan('main/electron/main.ts', dodge)).toEqual([
      'main/electron/main.ts -> entry (a computed path the layer check cannot follow: import a string literal)',
      'main/electron/main.ts -> main/cli/content.js (layer electron may not import layer cli)',
    ]);
    expect(scan('main/electron/main.ts', 'await import(`../cli/${name}.js`);')).toHaveLength(1);
    expect(scan('main/electron/main.ts', 'new URL(`../cli/${name}.js`, import.meta.url);')).toEqual([
      expect.stringMatching(/computed path/),
    ]);
    expect(scan('main/electron/main.ts', "await import('../kiosk/content-cli.js');")).toEqual([]);
    expect(scan('main/tools/bench.ts', "new URL('../cli/preview.js', import.meta.url);")).toEqual([]);
    // Data outside main/: only the listed tools.
    expect(scan('main/tools/make-sounds.ts', "new URL('../../assets/sounds/', import.meta.url)")).toEqual([]);
    expect(scan('main/kiosk/paths.ts', "new URL('../../assets/exhibit/', import.meta.url)")).toEqual([
      expect.stringMatching(/out of main\/; only the data tools/),
    ]);
  });

  it('every folder of main/ has a place in the layer table', () => {
    const folders = readdirSync(path.join(root, 'main'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.filter((f) => !(f in LAYERS))).toEqual([]);
    const loose = readdirSync(path.join(root, 'main')).filter((f) => /\.[cm]?[jt]s$/.test(f));
    expect(loose, 'a .ts file directly in main/ belongs in one of its folders').toEqual([]);
  });

  it('main/ imports only downward, per the layer table', () => {
    expect(mainViolations()).toEqual([]);
  });

  it('the shared schema imports nothing but zod and the contract', () => {
    const specs = importsOf(readFileSync(path.join(root, 'main/content/schema.ts'), 'utf8'));
    expect(specs.filter((s) => s !== 'zod' && !/^\.\.\/contract\/[a-z-]+\.js$/.test(s))).toEqual([]);
  });

  it('main/ never imports svelte or a .svelte file', () => {
    const problems: string[] = [];
    for (const file of filesUnder(path.join(root, 'main'), ['.ts'])) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (
          spec === 'svelte' ||
          spec.startsWith('svelte/') ||
          spec.endsWith('.svelte') ||
          spec.includes('/src/')
        ) {
          problems.push(`${path.relative(root, file)} imports ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
