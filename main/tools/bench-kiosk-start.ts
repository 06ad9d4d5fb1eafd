/**
 * Cold start of the kiosk as a technician starts it: `npm start` on a real X
 * display, timed from the command to the kiosk's own log line that its first
 * screen is drawn (the page confirms a version two frames after drawing it;
 * main/content/live.ts logs the first confirmation of each start). The first
 * start, in a fresh user-data folder and browser profile, also installs the
 * exhibit into the content store; the starts after it are every morning's.
 * Like a technician's, every start uses the same port (the kiosk's own unless
 * another program holds it here), so the kiosk browser's profile finds its
 * caches for the same origin each morning. Whatever `npm start` opens is
 * measured: Electron where its binary is installed, else the Chromium kiosk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { installedElectronBinary } from '../cli/installed-binary.js';
import { DEFAULT_KIOSK_PORT } from '../cli/launcher.js';
import { packageRoot } from '../kiosk/paths.js';

/** The log line the kiosk writes once per start when its first screen is drawn. */
const DRAWN = /^First screen drawn \(content [^)]*\) (\d+) ms after the kiosk process started\./m;

/** What `npm start` opened, and how long it took each time; or why it could not be timed here. */
export type KioskStart =
  | {
      ok: true;
      opened: 'Electron' | 'Chromium kiosk';
      /** The first start, which installs the exhibit: wall time. */
      firstMs: number;
      /** The starts after it: wall time, and the process's own figure from its log line. */
      ms: number[];
      processMs: number[];
    }
  | { ok: false; reason: string };

/** Binds `port` on 127.0.0.1 (0: any) and frees it again; the port it got, or undefined when it is taken. */
async function tryPort(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The `--port` flags of every start: none when the kiosk's own port is free,
 * as a technician types it; else one free port, the same for every start.
 */
async function portFlags(): Promise<string[]> {
  if ((await tryPort(DEFAULT_KIOSK_PORT)) !== undefined) return [];
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return ['--port', String(port)];
}

/** A display to open the kiosk on: the session's own, or a private Xvfb; undefined when neither exists. */
async function display(): Promise<{ name: string; close: () => void } | undefined> {
  if (process.env.DISPLAY) return { name: process.env.DISPLAY, close: () => {} };
  if (process.platform !== 'linux' || !existsSync('/usr/bin/Xvfb')) return undefined;
  for (let n = 90; n < 100; n++) {
    if (existsSync(`/tmp/.X11-unix/X${n}`) || existsSync(`/tmp/.X${n}-lock`)) continue;
    const xvfb = spawn('/usr/bin/Xvfb', [`:${n}`, '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 50 && !existsSync(`/tmp/.X11-unix/X${n}`); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    if (existsSync(`/tmp/.X11-unix/X${n}`)) return { name: `:${n}`, close: () => xvfb.kill() };
    xvfb.kill();
  }
  return undefined;
}

/**
 * Ends `npm start` and everything it started (its own process group), and
 * waits until all of it has gone: npm may exit before the kiosk it ran has
 * closed and released its user-data folder, and the next start must not
 * find the last one still there, no more than a morning finds the evening's.
 */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const group = -child.pid;
  const alive = () => {
    try {
      process.kill(group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const gone = async (ms: number) => {
    for (const end = Date.now() + ms; alive() && Date.now() < end;)
      await new Promise((r) => setTimeout(r, 25));
    return !alive();
  };
  try {
    process.kill(group, 'SIGTERM');
  } catch {
    return;
  }
  if (await gone(5000)) return;
  try {
    process.kill(group, 'SIGKILL');
  } catch {
    return;
  }
  await gone(5000);
}

/** One cold `npm start`: wall time to the "first screen drawn" line, and the process's own figure. */
async function once(
  contentDir: string,
  displayName: string,
  home: string,
  port: readonly string[],
): Promise<{ ms: number; processMs: number }> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const started = performance.now();
  const child = spawn(npm, ['start', '--', '--content', contentDir, ...port], {
    cwd: packageRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The bench's own user-data folder and browser profile, apart from this machine's kiosk.
    env: { ...process.env, DISPLAY: displayName, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
  });
  try {
    return await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`no first screen within 60 s:\n${out.slice(-800)}`)),
        60_000,
      );
      const hear = (chunk: Buffer) => {
        out += chunk.toString();
        const m = DRAWN.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ ms: performance.now() - started, processMs: Number(m[1]) });
        }
      };
      child.stdout!.on('data', hear);
      child.stderr!.on('data', hear);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start ended (${code}) before drawing:\n${out.slice(-800)}`));
      });
    });
  } finally {
    await stop(child);
  }
}

/** Times the first start of `npm start` showing `contentDir`, then `runs` starts after it. */
export async function measureKioskStart(contentDir: string, runs: number): Promise<KioskStart> {
  const shown = await display();
  if (!shown) return { ok: false, reason: 'no X display and no Xvfb here, so no kiosk window can open' };
  const opened = installedElectronBinary().ok ? 'Electron' : 'Chromium kiosk';
  const home = await mkdtemp(path.join(os.tmpdir(), 'vitrine-cold-'));
  try {
    const port = await portFlags();
    const first = await once(contentDir, shown.name, home, port);
    const ms: number[] = [];
    const processMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await once(contentDir, shown.name, home, port);
      ms.push(r.ms);
      processMs.push(r.processMs);
    }
    return { ok: true, opened, firstMs: first.ms, ms, processMs };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0]! };
  } finally {
    shown.close();
    // The kiosk may still be finishing a write as it closes.
    await rm(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => {});
  }
}
