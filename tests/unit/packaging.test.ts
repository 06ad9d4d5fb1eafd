/**
 * The packaging config as electron-builder itself reads it: validated with its
 * own schema, its `files` and `extraResources` patterns run through its own
 * matchers against the real tree, and node_modules collected by its own
 * production-dependency collector.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher.js';
import type { FileMatcher } from 'app-builder-lib/out/fileMatcher.js';
import { getCollectorByPackageManager, PM } from 'app-builder-lib/out/node-module-collector/index.js';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger, TmpDir } from 'builder-util';
import { describe, expect, it } from 'vitest';
import config from '../../electron.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const same = (pattern: string) => pattern;
const APP = path.join(root, 'release', 'app');
const RESOURCES = path.join(root, 'release', 'resources');

// electron-builder's own function for the app's `files`, with its default exclusions (marked internal, so untyped).
const { getMainFileMatchers, getFileMatchers } = fileMatcher as typeof fileMatcher & {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: object,
    platformPackager: object,
    outDir: string,
    isElectronCompile: boolean,
  ): FileMatcher[];
};

/** The app's file matchers, as the packager computes them for this project. */
function appMatchers(cfg: Configuration): FileMatcher[] {
  const info = {
    projectDir: root,
    buildResourcesDir: cfg.directories?.buildResources ?? 'build',
    config: cfg,
    isPrepackedAppAsar: false,
    debugLogger: new DebugLogger(false),
  };
  return getMainFileMatchers(root, APP, same, {}, { info }, path.join(root, 'release'), false);
}

/** The extra resources' file matchers. */
function resourceMatchers(cfg: Configuration): FileMatcher[] {
  const options = { macroExpander: same, customBuildOptions: {}, globalOutDir: APP, defaultSrc: root };
  return getFileMatchers(cfg, 'extraResources', RESOURCES, options) ?? [];
}

/** Every file a matcher ships, as [source, destination], walked like electron-builder walks: pruned folders are not entered. */
async function shippedBy(matcher: FileMatcher): Promise<Array<[string, string]>> {
  const filter = matcher.createFilter();
  const out: Array<[string, string]> = [];
  async function walk(dir: string): Promise<void> {
    for (const name of await readdir(dir).catch(() => [])) {
      const file = path.join(dir, name);
      const info = await lstat(file);
      if (!filter(file, info)) continue;
      if (info.isDirectory()) await walk(file);
      else out.push([file, path.join(matcher.to, path.relative(matcher.from, file))]);
    }
  }
  await walk(matcher.from);
  return out;
}

/** Whether the app's `files` would take the file at `rel` (relative to the project), folders on the way included. */
function appTakes(rel: string): boolean {
  const filter = appMatchers(config)[0]!.createFilter();
  const parts = rel.split('/');
  const asDir = { isDirectory: () => true } as Stats;
  const asFile = { isDirectory: () => false } as Stats;
  return parts.every((_, i) => {
    const last = i === parts.length - 1;
    return filter(path.join(root, ...parts.slice(0, i + 1)), last ? asFile : asDir);
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * The packages the shipped Node code (main/ but the build tools) imports at
 * load time: static, non-type imports. Electron provides `electron` itself;
 * the few dynamic imports are optional and guarded.
 */
async function mainRuntimeImports(): Promise<Set<string>> {
  const names = new Set<string>();
  const sources = (await filesUnder(path.join(root, 'main'))).filter(
    (f) => f.endsWith('.ts') && !f.startsWith(path.join(root, 'main', 'tools') + path.sep),
  );
  for (const file of sources) {
    const text = await readFile(file, 'utf8');
    for (const [, spec] of text.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^'.][^']*)'/gm)) {
      if (spec!.startsWith('node:') || spec === 'electron') continue;
      names.add(
        spec!
          .split('/')
          .slice(0, spec!.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    }
  }
  return names;
}

describe('electron.config.ts', () => {
  it("passes electron-builder's own schema validation, fuses included, and that validation is strict", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt as Configuration, new DebugLogger(false))).rejects.toThrow(
      /electronFuses/,
    );
  });

  it('flips the fuses that lock the kiosk binary down', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).toBe(true);
  });

  it('ships the built app and package.json, and no sources, source maps or node_modules by pattern', () => {
    for (const rel of ['package.json', 'dist/main/electron/main.js', 'dist/renderer/index.html']) {
      expect(appTakes(rel), rel).toBe(true);
    }
    for (const rel of [
      'dist/main/electron/main.js.map',
      'src/main.ts',
      'main/electron/main.ts',
      'tests/unit/packaging.test.ts',
      'node_modules/howler/package.json',
      'assets/sounds/tap.ogg',
      'package-lock.json',
    ]) {
      expect(appTakes(rel), rel).toBe(false);
    }
  });

  it('ships each file of the bundled exhibit exactly once, as a plain folder in resources/exhibit', async () => {
    const shipped = [
      ...(await Promise.all(appMatchers(config).map(shippedBy))).flat(),
      ...(await Promise.all(resourceMatchers(config).map(shippedBy))).flat(),
    ];
    const exhibit = path.join(root, 'assets', 'exhibit');
    const sources = await filesUnder(exhibit);
    expect(sources.length).toBeGreaterThan(10);
    for (const file of sources) {
      const copies = shipped.filter(([from]) => from === file).map(([, to]) => to);
      expect(copies, path.relative(root, file)).toEqual([
        path.join(RESOURCES, 'exhibit', path.relative(exhibit, file)),
      ]);
    }
  });

  it('ships the appliance files an installed kiosk is enabled with, and puts the systemd unit where systemd looks', async () => {
    const shipped = (await Promise.all(resourceMatchers(config).map(shippedBy))).flat();
    const deploy = path.join(root, 'assets', 'deploy');
    for (const file of await filesUnder(deploy)) {
      expect(
        shipped.filter(([from]) => from === file).map(([, to]) => to),
        path.relative(root, file),
      ).toEqual([path.join(RESOURCES, 'deploy', path.relative(deploy, file))]);
    }
    expect(config.deb?.fpm).toContain('assets/deploy/vitrine.service=/usr/lib/systemd/user/vitrine.service');
  });

  it('packs exactly the packages the main process imports, and no devDependency', async () => {
    const imported = await mainRuntimeImports();
    // Every package in `dependencies` is there because the Node side imports it, and the other way round.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
    const collector = getCollectorByPackageManager(PM.NPM, root, new TmpDir('vitrine-packaging-test'));
    const { nodeModules } = await collector.getNodeModules({ packageName: pkg.name });
    const packed = new Set(nodeModules.map((m) => m.name));
    for (const name of imported) expect(packed.has(name), name).toBe(true);
    // Nothing only the renderer bundle, the tools or the tests use.
    expect(Object.keys(pkg.devDependencies).filter((name) => packed.has(name))).toEqual([]);
  }, 60_000);
});
