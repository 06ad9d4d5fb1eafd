/**
 * `npm run preview -- [--port N] [--content DIR] [--idle-seconds S]
 * [--attract-seconds S] [--countdown-seconds S] [--no-open]`: the kiosk in a
 * browser, served by the browser host. {@link startPreview} runs the same in
 * process for tests, the bench and the Chromium-kiosk fallback of `npm start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openKioskLog, teeToEventLog } from '../common/log.js';
import { formatProblem } from '../content/load.js';
import type { ContentSource } from '../content/source.js';
import type { Handler } from '../handler/handler.js';
import { startHttpHost, type HttpHost } from '../hosts/http-host.js';
import type { KioskAssembly, LiveKioskOptions } from '../kiosk/assemble.js';
import { printConfigProblems } from '../kiosk/config.js';
import { parseArgs, USAGE } from '../kiosk/flags.js';
import { builtRendererDir, bundledExhibitDir, packageRoot, userDataDir } from '../kiosk/paths.js';
import type { KioskServices } from '../kiosk/services.js';
import { findSystemBrowser, QUIET_CHROMIUM_FLAGS } from './find-browser.js';

/** The port `npm run preview` uses when none is given. */
export const DEFAULT_PREVIEW_PORT = 4173;

/** An expected failure: its message is shown to the user as one line, without a stack. */
export class PreviewError extends Error {
  override name = 'PreviewError';
}

/** The port asked for is held by another program. */
export class PortInUseError extends PreviewError {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`Port ${port} is already in use; choose another with --port N (or --port 0 for any free port).`);
  }
}

/** Options for {@link startPreview}. */
export interface PreviewOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The content folder; default the bundled exhibit (or `$VITRINE_CONTENT`). */
  contentDir?: string;
  /** The built renderer; default `dist/renderer` in the package. */
  rendererDir?: string;
  idleSeconds?: number;
  attractSeconds?: number;
  countdownSeconds?: number;
  /** Open a Chromium app window (default false in process). */
  open?: boolean;
  /** Rebuild the renderer first when it is missing or older than `src/` (default false in process). */
  build?: boolean;
  /** Reload content when its files change (default true). */
  watch?: boolean;
  /** Show editors the validation panel (`/api/preview/status`); `npm run preview` sets it (default false in process). */
  editor?: boolean;
  /**
   * Serve the content store with live updates (content folder and inbox) and the staff panel,
   * as `npm start`'s kiosk does, instead of the content folder as it is on disk. The user data
   * defaults to the operating system's folder for Vitrine, the environment to this process's.
   */
  live?: Partial<LiveKioskOptions>;
  /**
   * Told the URL as soon as the port is bound, before the content and staff
   * services have started: a browser pointed at it then starts alongside them,
   * its requests held until they are ready. With `live`, the kiosk's instance
   * lock is held by then, so a second kiosk never gets this far.
   */
  onListening?: (url: string) => void;
  /** Print nothing (the bench and tests). */
  quiet?: boolean;
  /** Where lines go; default stdout. */
  log?: (line: string) => void;
}

/** A running preview. */
export interface Preview {
  url: string;
  port: number;
  host: HttpHost;
  content: ContentSource;
  /** The live content and staff services, when started with `live`. */
  services?: KioskServices;
  /** Closes the browser window (if one was opened), the host and the content watcher. */
  close(): Promise<void>;
}

/** The newest modification time of any file below `dir` (0 when it does not exist). */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    try {
      newest = Math.max(newest, (await stat(full)).mtimeMs);
    } catch {
      // Deleted while we looked: it cannot make the build stale.
    }
  }
  return newest;
}

/** Whether `dist/renderer/index.html` is missing or older than the renderer sources. */
export async function rendererIsStale(root: string, rendererDir: string): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(path.join(rendererDir, 'index.html'))).mtimeMs;
  } catch {
    return true;
  }
  // The renderer bundles the content schema and some shared assets (map data, UI sounds, fonts);
  // the exhibit itself is served live, so its edits never call for a rebuild.
  const assetDirs = await readdir(path.join(root, 'assets'), { withFileTypes: true }).then(
    (entries) => entries.filter((e) => e.name !== 'exhibit').map((e) => path.join(root, 'assets', e.name)),
    () => [],
  );
  const times = await Promise.all([
    newestMtime(path.join(root, 'src')),
    ...assetDirs.map((d) =>
      newestMtime(d).then(
        async (t) =>
          t ||
          (await stat(d).then(
            (s) => s.mtimeMs,
            () => 0,
          )),
      ),
    ),
    stat(path.join(root, 'main', 'content', 'schema.ts')).then(
      (s) => s.mtimeMs,
      () => 0,
    ),
  ]);
  const sources = Math.max(0, ...times);
  return sources > built;
}

/** Builds the renderer with Vite when it is stale, saying so in one line. */
export async function ensureRendererBuilt(
  root: string,
  rendererDir: string,
  log: (line: string) => void,
): Promise<void> {
  if (!(await rendererIsStale(root, rendererDir))) return;
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite) || !existsSync(path.join(root, 'src', 'vite.config.ts'))) {
    if (existsSync(path.join(rendererDir, 'index.html'))) return;
    throw new PreviewError(
      'The renderer is not built and Vite is not installed: run npm install, then npm run build.',
    );
  }
  log('Building the renderer (it is missing or older than src/)...');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '-c', path.join('src', 'vite.config.ts'), '--logLevel', 'error'],
      { cwd: root, stdio: 'inherit' },
    );
    child.on('error', () => resolve(-1));
    child.on('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new PreviewError('The renderer build failed (see above); fix it and try again.');
}

/** Waits until the host answers its health route. */
async function waitUntilAnswering(url: string): Promise<void> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const res = await fetch(new URL('api/health', url));
      await res.body?.cancel();
      if (res.ok) return;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new PreviewError(`The preview server at ${url} did not answer (${String(lastError)}).`);
}

/** A Chromium window started by {@link openAppWindow}. */
export interface AppWindow {
  child: ChildProcess;
  close(): Promise<void>;
}

/** Options for {@link openAppWindow}. */
export interface AppWindowOptions {
  /** Fullscreen kiosk mode instead of a plain app window. */
  kiosk?: boolean;
  /** More Chromium flags (e.g. touch or window size). */
  extraFlags?: readonly string[];
  log?: (line: string) => void;
}

/**
 * Opens `url` in a Chromium app window with a throwaway profile. Resolves to
 * undefined, after saying why in one line, when no browser or no display is found.
 */
export async function openAppWindow(
  url: string,
  opts: AppWindowOptions = {},
): Promise<AppWindow | undefined> {
  const log = opts.log ?? ((line: string) => console.log(line));
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log(`No display found, so no window opened; open ${url} in a browser.`);
    return undefined;
  }
  const browser = await findSystemBrowser();
  if (!browser.ok) {
    log(browser.message);
    return undefined;
  }
  const profile = await mkdtemp(path.join(tmpdir(), 'vitrine-browser-'));
  const child = spawn(
    browser.path,
    [
      opts.kiosk ? `--kiosk` : '',
      `--app=${url}`,
      `--user-data-dir=${profile}`,
      ...QUIET_CHROMIUM_FLAGS,
      // Chromium refuses to start as root unless its sandbox is off (containers, some kiosk images).
      // (--test-type hides the warning bar Chromium shows for it.)
      ...(process.getuid?.() === 0 ? ['--no-sandbox', '--test-type'] : []),
      ...(opts.kiosk ? [] : ['--window-size=1920,1080', '--start-maximized']),
      ...(opts.extraFlags ?? []),
    ].filter(Boolean),
    { stdio: 'ignore' },
  );
  const startedAt = Date.now();
  let closing = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      // A browser that dies at once never showed a window: say so rather than leave the user waiting.
      if (!closing && code !== 0 && Date.now() - startedAt < 5000) {
        log(`The browser (${browser.path}) exited at once with code ${code}; open ${url} yourself.`);
      }
      resolve();
    });
    child.once('error', (err) => {
      log(`Could not start ${browser.path}: ${err.message}`);
      resolve();
    });
  });
  return {
    child,
    async close() {
      closing = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      await rm(profile, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    },
  };
}

/**
 * Starts the browser host for a content folder and, if asked, opens it in a
 * Chromium app window. Throws {@link PreviewError} for expected failures
 * (port in use, failed build), with a message fit to print as is.
 */
export async function startPreview(options: PreviewOptions = {}): Promise<Preview> {
  const log = options.quiet ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  const root = packageRoot();
  const rendererDir = options.rendererDir ?? builtRendererDir(root);
  const contentDir = path.resolve(options.contentDir ?? process.env.VITRINE_CONTENT ?? bundledExhibitDir());

  const isDir = await stat(contentDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new PreviewError(
      `No content folder at ${contentDir}; give --content DIR, a folder holding exhibit.yaml.`,
    );

  if (options.build) await ensureRendererBuilt(root, rendererDir, log);

  const env = options.live?.env ?? process.env;
  const userData = options.live ? (options.live.userData ?? userDataDir(env)) : undefined;
  // One kiosk per user-data folder, checked before a browser is pointed at this one: a browser
  // started on the profile of a kiosk already running would open its window in that kiosk.
  // assembleKiosk takes the same lock again (it is counted per process).
  const unlock =
    userData !== undefined
      ? await (await import('../content/instance-lock.js')).lockKioskInstance(userData)
      : () => {};

  const port = options.port ?? 0;
  let answer!: { resolve: (handler: Handler) => void; reject: (error: unknown) => void };
  const handler = new Promise<Handler>((resolve, reject) => (answer = { resolve, reject }));
  let host: HttpHost;
  try {
    host = await startHttpHost({ handler, port, host: '127.0.0.1' });
  } catch (err) {
    answer.reject(err);
    unlock();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new PortInUseError(port);
    }
    if (code === 'EACCES')
      throw new PreviewError(
        port > 0 && port <= 1023
          ? `Port ${port} is not allowed for this user; choose one above 1023.`
          : // Windows refuses ports in its reserved (excluded) ranges with EACCES too.
            `Port ${port} is reserved or refused by the system; choose another one with --port.`,
      );
    throw err;
  }
  let kiosk: KioskAssembly;
  try {
    options.onListening?.(host.url);
    // Loaded only now: most of the kiosk's code (handler, live content, staff, fleet, insight)
    // then loads while the browser told above starts, instead of before it.
    const { assembleKiosk } = await import('../kiosk/assemble.js');
    kiosk = await assembleKiosk({
      contentDir,
      rendererDir,
      settings: {
        idleSeconds: options.idleSeconds,
        attractSecondsPerSlide: options.attractSeconds,
        countdownSeconds: options.countdownSeconds,
      },
      live:
        options.live && userData !== undefined
          ? { onConfigNote: printConfigProblems(log), ...options.live, userData, env }
          : undefined,
      editor: options.editor,
      watch: options.watch,
      log,
    });
  } catch (err) {
    answer.reject(err);
    // Lets the requests held until now write their 503 before the host closes their connections.
    await new Promise((resolve) => setImmediate(resolve));
    await host.close();
    throw err;
  } finally {
    unlock();
  }
  answer.resolve(kiosk.handler);
  const content = kiosk.content;
  if (!content.current()) {
    const problems = content.problems();
    log(
      `The content in ${contentDir} has ${problems.length} problem(s); the kiosk waits until they are fixed:`,
    );
    for (const p of problems.slice(0, 20)) log(`  ${formatProblem(p)}`);
  }

  let win: AppWindow | undefined;
  const close = async () => {
    await win?.close();
    await host.close();
    kiosk.close();
  };
  try {
    await waitUntilAnswering(host.url);
  } catch (err) {
    await close();
    throw err;
  }
  log(`Vitrine preview: ${host.url}`);
  if (options.open) win = await openAppWindow(host.url, { log });
  return { url: host.url, port: host.port, host, content, services: kiosk.services, close };
}

/** The `npm run preview` command. */
async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    console.error(`npm run preview: ${parsed.message}`);
    return 1;
  }
  const o = parsed.options;
  if (o.help) {
    console.log(
      `npm run preview -- ${USAGE.replace(/^Usage: /, '')}\n\nWithout --port the preview uses port ${DEFAULT_PREVIEW_PORT}.`,
    );
    return 0;
  }
  let preview: Preview | undefined;
  let win: AppWindow | undefined;
  let stopping = false;
  let stopped!: () => void;
  const done = new Promise<void>((resolve) => (stopped = resolve));
  // Installed before starting, so Ctrl-C during a build or browser launch is as clean as later.
  const stop = () => {
    if (stopping || !preview) process.exit(130);
    stopping = true;
    void Promise.allSettled([win?.close(), preview.close()]).then(stopped);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    preview = await startPreview({
      port: o.port ?? DEFAULT_PREVIEW_PORT,
      contentDir: o.contentDir,
      idleSeconds: o.idleSeconds,
      attractSeconds: o.attractSeconds,
      countdownSeconds: o.countdownSeconds,
      open: false,
      build: true,
      editor: true,
      // Into the kiosk's event log as well, where every host writes (main/common/log.ts).
      log: teeToEventLog(console.log, openKioskLog(userDataDir()), 'preview'),
    });
    if (o.open) win = await openAppWindow(preview.url);
  } catch (err) {
    console.error(err instanceof PreviewError ? err.message : `Vitrine preview failed: ${String(err)}`);
    return 1;
  }
  await done;
  return 0;
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}
