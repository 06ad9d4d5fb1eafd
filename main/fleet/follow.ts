/**
 * A kiosk following a channel: it polls `channel.json` on a plain web server
 * (with `If-None-Match`, so an unchanged channel costs one small answer),
 * downloads a new package with HTTP Range so a cut connection resumes where it
 * stopped, checks its size, SHA-256 and signature against the kiosk's public
 * keys, and hands it to the same install as the inbox (the store, then the
 * rollout at the next idle reset). Whatever the server does (down, slow,
 * garbage, a wrong hash or signature) nothing changes on screen: the follower
 * says what happened and tries again later, backing off while errors last.
 */
import type { KeyObject } from 'node:crypto';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelStatus } from '../contract/staff.js';
import { verifyPackage } from '../content/signing.js';
import { channelSignedBy, compareVersions, parseChannel, type ChannelFile } from './channel.js';
import type { HttpGet } from './http-get.js';

/** Timers the follower uses; tests pass a fake clock. */
export interface FollowClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What the owner installs a verified package with: the inbox's install. */
type InstallPackage = (file: string, channel: ChannelFile) => Promise<{ version: string; changed: boolean }>;

/** Options for {@link createChannelFollower}. */
export interface FollowOptions {
  /** The address of `channel.json`. */
  url: string;
  /** Where partial and whole downloads are kept (the store's `downloads/`). */
  downloads: string;
  /** Packages and channels must be signed by one of these. */
  publicKeys: readonly KeyObject[];
  /** This kiosk's software version, compared with the channel's `minKioskVersion`. */
  kioskVersion: string;
  /** The store version shown now; a channel already on it needs nothing. */
  currentVersion(): string | undefined;
  install: InstallPackage;
  get: HttpGet;
  /** How often to look when all is well. Default 5 minutes. */
  pollMs?: number;
  /** Plus or minus this share of `pollMs`, so twenty kiosks do not ask at the same second. Default 0.2. */
  jitter?: number;
  /** The first wait after an error, doubled at each further error up to `maxBackoffMs`. Default 30 s. */
  errorMs?: number;
  /** Default 1 hour. */
  maxBackoffMs?: number;
  /** The longest silence from the server before giving up. Default 30 s. */
  timeoutMs?: number;
  clock?: FollowClock;
  random?: () => number;
  log?: (line: string) => void;
  /** Told about each error (the staff panel's list). */
  onError?: (message: string) => void;
  /** Told when a package is refused (wrong signature, hash or content), as opposed to a network fault. */
  onRefused?: (reason: string) => void;
  /** Told after each check, whatever its outcome. */
  onCheck?: (ok: boolean) => void;
  onChange?: () => void;
}

/** The running follower. */
export interface ChannelFollower {
  status(): ChannelStatus;
  /** Looks at the channel now (and once it is done, waits the usual time for the next look). */
  check(): Promise<void>;
  close(): void;
}

/** A failure that is the server's or the network's; the message is for staff. */
class FollowError extends Error {}

const systemClock: FollowClock = {
  now: Date.now,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The wait before the next look: `pollMs` with jitter after success, doubling after errors. */
export function nextDelay(
  failures: number,
  o: { pollMs: number; jitter: number; errorMs: number; maxBackoffMs: number },
  random: () => number,
): number {
  if (failures === 0) return Math.round(o.pollMs * (1 + o.jitter * (random() * 2 - 1)));
  const full = Math.min(o.maxBackoffMs, o.errorMs * 2 ** (failures - 1));
  // Spread the retries of many kiosks after a shared outage over the second half of the wait.
  return Math.round(full * (0.5 + random() / 2));
}

/** SHA-256 and size of a file. */
async function digest(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** Starts following; the first look is at once. */
export function createChannelFollower(opts: FollowOptions): ChannelFollower {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? Math.random;
  const log = opts.log ?? (() => {});
  const timing = {
    pollMs: opts.pollMs ?? 5 * 60_000,
    jitter: opts.jitter ?? 0.2,
    errorMs: opts.errorMs ?? 30_000,
    maxBackoffMs: opts.maxBackoffMs ?? 60 * 60_000,
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const iso = (t = clock.now()) => new Date(t).toISOString();

  let etag: string | undefined;
  let failures = 0;
  let timer: unknown;
  let closed = false;
  let running: Promise<void> | undefined;
  let abortDownload: (() => void) | undefined;
  /** Packages (by SHA-256) that were refused: not fetched again until the channel names another. */
  const refused = new Map<string, string>();
  const state: ChannelStatus = { url: opts.url, errors: 0 };
  const changed = () => opts.onChange?.();

  const fail = (message: string) => {
    failures += 1;
    state.errors += 1;
    state.lastCheck = { at: iso(), ok: false, message };
    state.downloading = undefined;
    opts.onError?.(message);
    log(`Channel ${opts.url}: ${message}`);
  };
  const succeed = (message: string) => {
    failures = 0;
    state.lastCheck = { at: iso(), ok: true, message };
  };

  /** The channel's description and its ETag, or `unchanged` when the server says so (304). */
  const fetchChannel = async (): Promise<{ channel: ChannelFile; etag?: string } | 'unchanged'> => {
    const answer = await opts.get(opts.url, {
      headers: etag ? { 'if-none-match': etag } : {},
      timeoutMs,
    });
    if (answer.status === 304) {
      answer.abort();
      return 'unchanged';
    }
    if (answer.status !== 200) {
      answer.abort();
      throw new FollowError(`the server answered ${answer.status} for channel.json`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body) {
      size += chunk.length;
      if (size > 64 * 1024) {
        answer.abort();
        throw new FollowError('channel.json is far too large to be a channel');
      }
      chunks.push(chunk);
    }
    const parsed = parseChannel(Buffer.concat(chunks).toString('utf8'));
    if (!parsed.ok) throw new FollowError(`channel.json is ${parsed.reason}`);
    return { channel: parsed.channel, etag: answer.headers.etag };
  };

  /** Downloads the channel's package into `downloads/`, resuming a partial one; returns the whole file. */
  const download = async (c: ChannelFile): Promise<string> => {
    await mkdir(opts.downloads, { recursive: true });
    const whole = path.join(opts.downloads, `${c.sha256}.zip`);
    const part = `${whole}.part`;
    // Partial downloads of other packages are of no use any more.
    for (const n of await readdir(opts.downloads)) {
      if (!n.startsWith(c.sha256)) await rm(path.join(opts.downloads, n), { force: true, recursive: true });
    }
    if (
      await stat(whole).then(
        () => true,
        () => false,
      )
    )
      return whole;
    const have = (await stat(part).catch(() => undefined))?.size ?? 0;
    const address = new URL(c.package, opts.url).href;
    const answer = await opts.get(address, {
      headers: have > 0 && have < c.size ? { range: `bytes=${have}-` } : {},
      timeoutMs,
    });
    let from = 0;
    if (answer.status === 206) {
      const start = /^bytes (\d+)-/.exec(answer.headers['content-range'] ?? '')?.[1];
      if (Number(start) !== have) {
        answer.abort();
        await rm(part, { force: true });
        throw new FollowError(`the server resumed ${c.package} at the wrong place; starting again next time`);
      }
      from = have;
    } else if (answer.status === 416 && have === c.size) {
      answer.abort();
      from = have;
    } else if (answer.status !== 200) {
      answer.abort();
      throw new FollowError(`the server answered ${answer.status} for ${c.package}`);
    }
    state.downloading = { version: c.contentVersion, received: from, total: c.size };
    changed();
    if (answer.status === 200 || answer.status === 206) {
      const out = createWriteStream(part, { flags: from > 0 ? 'a' : 'w' });
      let writeError: Error | undefined;
      out.on('error', (err) => {
        writeError = err;
        answer.abort();
      });
      abortDownload = answer.abort;
      let received = from;
      try {
        for await (const chunk of answer.body) {
          received += chunk.length;
          if (received > c.size) {
            answer.abort();
            throw new FollowError(`${c.package} is larger than channel.json says (${c.size} bytes)`);
          }
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
          state.downloading = { version: c.contentVersion, received, total: c.size };
        }
        if (writeError) throw writeError;
      } catch (err) {
        if (writeError) throw new FollowError(`${c.package} cannot be saved: ${writeError.message}`);
        if (err instanceof FollowError) {
          await new Promise<void>((r) => out.end(() => r()));
          await rm(part, { force: true });
          throw err;
        }
        throw new FollowError(
          `the download of ${c.package} stopped at ${received} of ${c.size} bytes (${(err as Error).message}); it resumes there next time`,
        );
      } finally {
        abortDownload = undefined;
        await new Promise<void>((r) => (out.closed ? r() : out.end(() => r())));
      }
    }
    const got = await digest(part);
    if (got.size !== c.size) {
      throw new FollowError(
        `the download of ${c.package} stopped at ${got.size} of ${c.size} bytes; it resumes there next time`,
      );
    }
    if (got.sha256 !== c.sha256) {
      await rm(part, { force: true });
      opts.onRefused?.('SHA-256 mismatch');
      throw new FollowError(`${c.package} does not match the SHA-256 in channel.json; not installed`);
    }
    await rename(part, whole);
    return whole;
  };

  const look = async () => {
    state.lastCheckStarted = iso();
    let fetched: Awaited<ReturnType<typeof fetchChannel>>;
    try {
      fetched = await fetchChannel();
    } catch (err) {
      fail(err instanceof FollowError ? err.message : `cannot reach the channel: ${(err as Error).message}`);
      return;
    }
    if (fetched === 'unchanged') {
      succeed('unchanged');
      return;
    }
    const { channel: c, etag: tag } = fetched;
    state.name = c.channel;
    state.available = { version: c.version, contentVersion: c.contentVersion, publishedAt: c.publishedAt };
    if (!channelSignedBy(c, opts.publicKeys)) {
      fail(`channel.json for ${c.contentVersion} is not signed by a key this kiosk trusts; not installed`);
      return;
    }
    if (compareVersions(opts.kioskVersion, c.minKioskVersion) < 0) {
      fail(
        `version ${c.contentVersion} needs kiosk software ${c.minKioskVersion} or newer (this kiosk runs ${opts.kioskVersion}); not installed`,
      );
      return;
    }
    if (opts.currentVersion() === c.version) {
      etag = tag;
      succeed(`already showing ${c.contentVersion}`);
      return;
    }
    const refusal = refused.get(c.sha256);
    if (refusal) {
      etag = tag;
      succeed(`${c.contentVersion} was refused before (${refusal}); waiting for a newer one`);
      return;
    }
    let file: string;
    try {
      file = await download(c);
    } catch (err) {
      fail(
        err instanceof FollowError ? err.message : `cannot download ${c.package}: ${(err as Error).message}`,
      );
      return;
    }
    state.downloading = undefined;
    const check = await verifyPackage(file, opts.publicKeys);
    if (check.status !== 'ok') {
      await rm(file, { force: true });
      refused.set(c.sha256, check.reason);
      opts.onRefused?.(check.reason);
      fail(`${c.package} was refused: ${check.reason}`);
      return;
    }
    try {
      const result = await opts.install(file, c);
      etag = tag;
      succeed(
        result.changed
          ? `downloaded ${c.contentVersion}; shown from the next idle reset`
          : `already showing ${c.contentVersion}`,
      );
      state.installed = { version: result.version, contentVersion: c.contentVersion, at: iso() };
      log(`Channel ${c.channel}: installed ${c.contentVersion} (${result.version}).`);
      await rm(file, { force: true });
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      // A refusal by the store (invalid, older, rolled back before) stands until the channel changes.
      if ((err as { exitCode?: number }).exitCode === 1) {
        refused.set(c.sha256, message);
        opts.onRefused?.(message);
        await rm(file, { force: true });
      }
      fail(`${c.contentVersion} was not installed: ${message}`);
    }
  };

  const schedule = () => {
    if (closed) return;
    const wait = nextDelay(failures, timing, random);
    state.nextCheckAt = iso(clock.now() + wait);
    timer = clock.setTimeout(() => void check(), wait);
  };

  const check = (): Promise<void> => {
    if (running) return running;
    clock.clearTimeout(timer);
    running = look()
      .catch((err: unknown) => fail(`the check failed: ${String(err)}`))
      .finally(() => {
        running = undefined;
        opts.onCheck?.(state.lastCheck?.ok ?? false);
        changed();
        schedule();
      });
    return running;
  };

  void check();
  return {
    status: () => structuredClone(state),
    check,
    close() {
      closed = true;
      clock.clearTimeout(timer);
      abortDownload?.();
    },
  };
}
