/**
 * The locks that keep two processes apart: the kiosk's single-instance lock
 * on its user-data folder, and the pieces the content store's own change lock
 * (./store.ts) shares with it — who holds a lock, and whether that holder is
 * still alive in this boot of this machine.
 *
 * Small on purpose: `npm start` takes the instance lock before it binds the
 * kiosk's port, so everything this module imports loads before the first
 * screen can. It loads no validation library, image or zip code; the owner
 * file is checked by hand.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readSmallRegularFile } from '../common/safe-read.js';
import { ContentError, EXIT } from './errors.js';

/** Who holds a lock: enough to tell a live holder from one that died or an earlier boot. */
export interface LockOwner {
  pid: number;
  /** Linux's boot id; absent elsewhere. */
  boot?: string;
  /** When the machine booted (ms), from its uptime. */
  bootTime: number;
  /** When the lock was taken, ISO. */
  at: string;
}

/** This boot's identity: Linux's boot id, and the boot time everywhere. */
async function currentBoot(): Promise<{ boot?: string; bootTime: number }> {
  const boot =
    process.platform === 'linux'
      ? await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
          (t) => t.trim() || undefined,
          () => undefined,
        )
      : undefined;
  return { boot, bootTime: Date.now() - os.uptime() * 1000 };
}

/** What a lock's holder writes in it: this process, in this boot, now. */
export async function lockOwnerNow(): Promise<LockOwner> {
  return { pid: process.pid, ...(await currentBoot()), at: new Date().toISOString() };
}

/** True when `owner` took the lock in this boot of this machine. */
function sameBoot(owner: LockOwner, now: { boot?: string; bootTime: number }): boolean {
  if (owner.boot && now.boot) return owner.boot === now.boot;
  // Uptime-derived boot times drift by seconds (sleep, clock changes); a new boot differs by far more.
  return Math.abs(owner.bootTime - now.bootTime) < 2 * 60 * 1000;
}

/** True when a process with this id runs. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a command line (NUL-separated, as Linux's /proc/<pid>/cmdline) is a
 * Vitrine kiosk's: Node or Electron running this package's entries (`npm
 * start`'s start-entry.mjs, Electron's dist/main, `npm run preview`'s
 * main/cli/) or a packaged Vitrine app. Generous on purpose: a false "kiosk"
 * only keeps today's refusal, a false "not a kiosk" would run two at once.
 */
function looksLikeKiosk(cmdline: string): boolean {
  const line = cmdline.replace(/\0/g, ' ').toLowerCase();
  if (!line.trim()) return false;
  return (
    line.includes('start-entry') ||
    line.includes('main/cli/') ||
    line.includes('dist/main/') ||
    line.includes('electron') ||
    line.includes('vitrine')
  );
}

/**
 * True when a process with this id runs and, on Linux, is a Vitrine kiosk:
 * a pid reused by an unrelated program after the kiosk died does not hold
 * its lock. Elsewhere a live pid is taken at its word.
 */
async function kioskAlive(pid: number): Promise<boolean> {
  if (!processAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  // Unreadable (another user's process under a hardened /proc): keep today's answer.
  if (cmdline === undefined) return true;
  return looksLikeKiosk(cmdline);
}

/** An owner file's content as a {@link LockOwner}, or undefined when it is not one (only its known fields kept). */
function parseOwner(value: unknown): LockOwner | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { pid, boot, bootTime, at } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (boot !== undefined && typeof boot !== 'string') return undefined;
  if (typeof bootTime !== 'number' || !Number.isFinite(bootTime)) return undefined;
  if (typeof at !== 'string') return undefined;
  return boot === undefined ? { pid, bootTime, at } : { pid, boot, bootTime, at };
}

/**
 * Why an existing lock still holds, or undefined when it was left by a process
 * that is gone. With `kiosk`, a live holder must also look like a kiosk (see
 * {@link looksLikeKiosk}; Linux only): the instance lock is only ever held by one.
 */
export async function lockHolder(lock: string, kiosk = false): Promise<{ busy: boolean; owner?: LockOwner }> {
  // Not blocking on a FIFO, not following a link, not reading a huge file: a lock is not trusted input.
  const raw = await readSmallRegularFile(path.join(lock, 'owner.json'));
  let owner: LockOwner | undefined;
  try {
    owner = raw === undefined ? undefined : parseOwner(JSON.parse(raw));
  } catch {
    owner = undefined;
  }
  if (!owner) {
    // The holder writes its name right after taking the lock; a nameless lock is only young while it does.
    const age = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => Infinity,
    );
    return { busy: age < 30_000 };
  }
  const boot = await currentBoot();
  const alive = kiosk ? await kioskAlive(owner.pid) : processAlive(owner.pid);
  return { busy: sameBoot(owner, boot) && alive, owner };
}

/**
 * A second kiosk refused on a user-data folder another one runs on. Its
 * message is the one `npm run content` and Electron have always shown; `npm
 * start` words it for a technician from {@link pid} and {@link userData}.
 */
export class KioskAlreadyRunningError extends ContentError {
  constructor(
    /** The running kiosk's process id, when its lock names it. */
    readonly pid: number | undefined,
    /** The user-data folder, resolved. */
    readonly userData: string,
  ) {
    super(
      `another Vitrine kiosk is already running on this user-data folder (pid ${pid ?? 'unknown'}); ${userData} was left as it is`,
      EXIT.usage,
    );
  }
}

/** The single-instance lock's folder in the user-data folder. */
const INSTANCE_LOCK = 'kiosk.lock';
/** Instance locks this process holds, by folder, with how many kiosks of this process share each. */
const heldInstances = new Map<string, number>();

/**
 * Takes the single-instance lock of a kiosk's user-data folder, before the
 * store is opened: a second kiosk on the same folder fails here with a
 * {@link KioskAlreadyRunningError} naming the running one, and has touched
 * nothing. The lock records pid and boot id like the store's; one left by a
 * process that is gone, or by an earlier boot, is broken. Kiosks within one
 * process (tests) share it. Returns the release, to call when the kiosk closes.
 */
export async function lockKioskInstance(userData: string): Promise<() => void> {
  const lock = path.join(path.resolve(userData), INSTANCE_LOCK);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const left = (heldInstances.get(lock) ?? 1) - 1;
    if (left > 0) {
      heldInstances.set(lock, left);
      return;
    }
    heldInstances.delete(lock);
    // At once, so a kiosk started again in this process never has its new lock removed by this one.
    try {
      rmSync(lock, { recursive: true, force: true });
    } catch {
      // A lock that cannot be removed is broken by the next start: its holder is gone.
    }
  };
  const shared = heldInstances.get(lock);
  if (shared) {
    heldInstances.set(lock, shared + 1);
    return release;
  }
  await mkdir(path.dirname(lock), { recursive: true });
  const owner = JSON.stringify(await lockOwnerNow());
  for (let attempt = 1; ; attempt++) {
    const taken = await mkdir(lock).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') return false;
        throw err;
      },
    );
    if (taken) break;
    const holder = await lockHolder(lock, true);
    // A lock naming this very process was left by an earlier run that had the same pid (a container's pid 1).
    const stale = !holder.busy || holder.owner?.pid === process.pid;
    if (!stale || attempt >= 10)
      throw new KioskAlreadyRunningError(holder.owner?.pid, path.resolve(userData));
    await breakStaleLock(lock, holder.owner);
  }
  await writeFile(path.join(lock, 'owner.json'), owner);
  heldInstances.set(lock, 1);
  releaseAtExit();
  return release;
}

/** A name beside `lock` that no other process uses. */
const besideLock = (lock: string, what: string) =>
  `${lock}.${what}-${process.pid}-${randomBytes(4).toString('hex')}`;

/** A lock another user's process left, which this one cannot remove. */
function otherUsersLock(lock: string): ContentError {
  return new ContentError(
    `the kiosk's lock ${lock} belongs to another user (a kiosk started as that user, e.g. with sudo, left it) and this user cannot remove it; remove it as that user, then start again`,
    EXIT.usage,
  );
}

/** Same holder: the same process's note, taken at the same instant (or both nameless). */
function sameOwner(a: LockOwner | undefined, b: LockOwner | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.pid === b.pid && a.at === b.at;
}

/**
 * Breaks a lock judged stale, under a second, short-lived lock (`kiosk.lock.break`)
 * that only one start holds at a time: it checks again that the lock is still
 * the one judged stale (another start may have broken it and taken a fresh one
 * meanwhile), renames it away to a name of its own, then removes it. A
 * break lock left by a crash is removed once it is 10 seconds old.
 */
async function breakStaleLock(lock: string, judged: LockOwner | undefined): Promise<void> {
  const uid = process.getuid?.();
  const s = await stat(lock).catch(() => undefined);
  if (!s) return;
  if (uid !== undefined && uid !== 0 && s.uid !== uid) throw otherUsersLock(lock);
  const breaking = `${lock}.break`;
  const gotBreak = await mkdir(breaking).then(
    () => true,
    async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
      const age = await stat(breaking).then(
        (b) => Date.now() - b.mtimeMs,
        () => 0,
      );
      if (age > 10_000) await rm(breaking, { recursive: true, force: true }).catch(() => undefined);
      return false;
    },
  );
  // Another start is breaking it: wait a moment and look again.
  if (!gotBreak) return new Promise((resolve) => setTimeout(resolve, 50));
  try {
    const now = await lockHolder(lock, true);
    // Broken and taken again since it was judged (a fresh lock is busy, named or not): leave it.
    if (now.busy || !sameOwner(now.owner, judged)) return;
    const away = besideLock(lock, 'stale');
    try {
      await rename(lock, away);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code === 'EACCES' || code === 'EPERM') throw otherUsersLock(lock);
      throw err;
    }
    await rm(away, { recursive: true, force: true }).catch(() => undefined);
  } finally {
    await rm(breaking, { recursive: true, force: true }).catch(() => undefined);
  }
}

let exitHookSet = false;
/**
 * Removes every instance lock this process still holds when it exits, even
 * without a clean close (an exit from a handler, an uncaught error): the next
 * start then finds no stale lock. Best effort; a kill -9 still leaves one.
 */
function releaseAtExit(): void {
  if (exitHookSet) return;
  exitHookSet = true;
  process.on('exit', () => {
    for (const lock of heldInstances.keys()) {
      try {
        rmSync(lock, { recursive: true, force: true });
      } catch {
        // Broken by the next start.
      }
    }
    heldInstances.clear();
  });
}
