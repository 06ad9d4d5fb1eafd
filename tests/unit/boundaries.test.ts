/**
 * Layering is enforced here, not hoped for: the renderer is a plain web app
 * (no Electron, no Node built-ins), and Node code never pulls in Svelte.
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

  it('the shared schema imports nothing but zod', () => {
    const specs = importsOf(readFileSync(path.join(root, 'main/content/schema.ts'), 'utf8'));
    expect(specs.filter((s) => s !== 'zod')).toEqual([]);
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
