/**
 * Staff sign-in: a PIN exchanged for a short-lived session token, a lockout
 * after repeated wrong PINs, and sessions that end by themselves after a
 * minute untouched. Only the PIN's scrypt hash is written to disk, in
 * `staff.json` in the app's user-data folder.
 *
 * It fails closed. Only a missing staff file means a fresh kiosk with the
 * first-run PIN; an empty, unreadable or damaged one refuses every sign-in
 * until a technician deletes it on purpose. Wrong PINs are counted in memory
 * first and then saved, so a full disk neither resets the count nor turns a
 * wrong PIN into an error, and the lockout (with its end time) survives restarts.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../common/atomic-write.js';
import { DEFAULT_PIN, hashPin, isValidPin, verifyPin, weakPinReason } from './pin.js';
import { createSerialQueue } from '../common/serial-queue.js';

/** What `staff.json` holds. Never the PIN itself. A file without `pinHash` still has the first-run PIN. */
const StaffFile = z.object({
  /** `scrypt$N$r$p$salt$hash`, see ./pin.ts. */
  pinHash: z
    .string()
    .regex(/^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$/)
    .optional(),
  pinChangedAt: z.string().optional(),
  /** Wrong PINs in a row since the last sign-in or lockout. */
  failures: z.int().min(0).optional(),
  /** Epoch ms until which sign-in is refused. */
  lockedUntil: z.number().min(0).optional(),
  /** Lockouts in a row; each doubles the next one's length. */
  lockouts: z.int().min(0).optional(),
});
/** See {@link StaffFile}. */
type StaffFile = z.infer<typeof StaffFile>;

/** Options for {@link createStaffAuth}. */
export interface StaffAuthOptions {
  /** Path of `staff.json`. */
  file: string;
  /** Wrong PINs in a row before sign-in is locked. Default 5. */
  maxFailures?: number;
  /** How long a lockout lasts. Default 5 minutes; it doubles with each further lockout, up to an hour. */
  lockoutMs?: number;
  /** A session ends after this long without a touch. Default 60 s. */
  idleMs?: number;
  now?: () => number;
  /** Where a damaged staff file and failed saves are reported. Default: stderr. */
  log?: (line: string) => void;
}

/** Shown to staff when the staff file cannot be trusted. */
const DAMAGED_MESSAGE = 'The staff file is damaged; see the log';

/** The outcome of a sign-in attempt. */
type LoginResult =
  | { ok: true; token: string; defaultPin: boolean; idleMs: number }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  | { ok: false; reason: 'damaged'; message: string }
  | { ok: false; reason: 'invalid' };

/** The outcome of a PIN change; `message` is for staff. */
type ChangeResult =
  | { ok: true }
  | { ok: false; reason: 'wrong'; message: string; attemptsLeft: number }
  | { ok: false; reason: 'locked'; message: string; retryAfterMs: number }
  | { ok: false; reason: 'invalid' | 'damaged' | 'unsaved'; message: string };

/** Staff sessions for one kiosk. */
export interface StaffAuth {
  login(pin: unknown): Promise<LoginResult>;
  /**
   * What `token` may do: `none` (no live session), `first-run` (a session while the
   * first-run PIN is still set: it may only set a new PIN), or `staff`. `touch`
   * extends a live session (a staff action, not a status poll).
   */
  session(token: string | undefined, touch?: boolean): 'none' | 'first-run' | 'staff';
  /**
   * True only for a live session that may act: while the first-run PIN is still set, no
   * session may, so a route that checks nothing else still fails closed.
   */
  check(token: string | undefined, touch?: boolean): boolean;
  logout(token: string | undefined): void;
  /**
   * Replaces the PIN; the current one must be given again, and a wrong one
   * counts like a wrong sign-in. The new PIN applies only once it is saved.
   */
  changePin(current: unknown, next: unknown): Promise<ChangeResult>;
  /** True while the first-run PIN still opens the panel (and then allows nothing but changing it). */
  usingDefaultPin(): Promise<boolean>;
  readonly idleMs: number;
}

type Loaded = { ok: true; data: StaffFile } | { ok: false; why: string };

async function loadStaffFile(file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Only a file that is not there at all means a fresh kiosk.
    if (code === 'ENOENT') return { ok: true, data: {} };
    return { ok: false, why: `it cannot be read (${code ?? String(err)})` };
  }
  if (text.trim() === '') return { ok: false, why: 'it is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, why: `it is not valid JSON (${(err as Error).message})` };
  }
  const parsed = StaffFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, why: `it does not hold a staff file (${where}${issue?.message ?? 'invalid'})` };
  }
  return { ok: true, data: parsed.data };
}

async function writeStaffFile(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Atomic, so a power cut mid-write cannot lose the PIN hash or the lockout.
  await writeFileAtomic(file, text, { mode: 0o600 });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Creates the sign-in service for the staff file at `opts.file`. */
export function createStaffAuth(opts: StaffAuthOptions): StaffAuth {
  const now = opts.now ?? Date.now;
  const maxFailures = opts.maxFailures ?? 5;
  const baseLockout = opts.lockoutMs ?? 5 * 60_000;
  const idleMs = opts.idleMs ?? 60_000;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sessions = new Map<string, number>();
  // Sign-ins and PIN changes run one at a time, so parallel guesses cannot slip past the failure count.
  const serial = createSerialQueue();
  // Once read, memory is the truth and the file its copy: a failed save loses nothing until a restart.
  let data: StaffFile | undefined;
  let reportedDamage = '';

  /** The staff data, or undefined while the file is damaged (read again at each attempt, so a fix needs no restart). */
  const current = async (): Promise<StaffFile | undefined> => {
    if (data) return data;
    const loaded = await loadStaffFile(opts.file);
    if (loaded.ok) {
      data = loaded.data;
      return data;
    }
    if (reportedDamage !== loaded.why) {
      reportedDamage = loaded.why;
      log(
        `Staff sign-in is refused: the staff file ${opts.file} is damaged (${loaded.why}). ` +
          `To reset the staff PIN to the first-run PIN, delete that file on purpose; ` +
          `the next sign-in then sets a new PIN.`,
      );
    }
    return undefined;
  };

  /** Saves the in-memory state; a failure is logged and the state still holds in memory. */
  const persist = async () => {
    try {
      await writeStaffFile(opts.file, `${JSON.stringify(data, null, 2)}\n`);
    } catch (err) {
      log(
        `Could not save the staff sign-in state to ${opts.file} (${String(err)}); ` +
          `the failure count and any lockout still hold until the kiosk restarts.`,
      );
    }
  };

  const pinMatches = async (pin: string, d: StaffFile) =>
    d.pinHash ? verifyPin(pin, d.pinHash) : sameText(pin, DEFAULT_PIN);

  const lockedFor = (d: StaffFile, at: number) =>
    d.lockedUntil && d.lockedUntil > at ? d.lockedUntil - at : 0;

  /** Counts a wrong PIN (in memory first, then on disk); may start a lockout, which ends every session. */
  const countFailure = async (
    d: StaffFile,
    at: number,
  ): Promise<{ locked: true; ms: number } | { locked: false; attemptsLeft: number }> => {
    const failures = (d.failures ?? 0) + 1;
    if (failures >= maxFailures) {
      const lockouts = d.lockouts ?? 0;
      const ms = Math.min(60 * 60_000, baseLockout * 2 ** lockouts);
      Object.assign(d, { failures: 0, lockedUntil: at + ms, lockouts: lockouts + 1 });
      sessions.clear();
      await persist();
      return { locked: true, ms };
    }
    d.failures = failures;
    await persist();
    return { locked: false, attemptsLeft: maxFailures - failures };
  };

  const login = async (pin: unknown): Promise<LoginResult> => {
    const d = await current();
    if (!d) return { ok: false, reason: 'damaged', message: DAMAGED_MESSAGE };
    const at = now();
    const wait = lockedFor(d, at);
    if (wait) return { ok: false, reason: 'locked', retryAfterMs: wait };
    if (typeof pin !== 'string' || pin.length > 64) return { ok: false, reason: 'invalid' };
    if (await pinMatches(pin, d)) {
      if (d.failures || d.lockedUntil || d.lockouts) {
        delete d.lockedUntil;
        Object.assign(d, { failures: 0, lockouts: 0 });
        await persist();
      }
      const token = randomBytes(32).toString('hex');
      sessions.set(token, at);
      return { ok: true, token, defaultPin: !d.pinHash, idleMs };
    }
    const counted = await countFailure(d, at);
    return counted.locked
      ? { ok: false, reason: 'locked', retryAfterMs: counted.ms }
      : { ok: false, reason: 'wrong', attemptsLeft: counted.attemptsLeft };
  };

  const changePin = async (currentPin: unknown, next: unknown): Promise<ChangeResult> => {
    const d = await current();
    if (!d) return { ok: false, reason: 'damaged', message: DAMAGED_MESSAGE };
    const at = now();
    const lockedMessage = (ms: number) => `Too many wrong PINs; try again in ${Math.ceil(ms / 1000)} s.`;
    const wait = lockedFor(d, at);
    if (wait) return { ok: false, reason: 'locked', message: lockedMessage(wait), retryAfterMs: wait };
    if (typeof currentPin !== 'string' || currentPin.length > 64 || !(await pinMatches(currentPin, d))) {
      const counted = await countFailure(d, at);
      return counted.locked
        ? { ok: false, reason: 'locked', message: lockedMessage(counted.ms), retryAfterMs: counted.ms }
        : {
            ok: false,
            reason: 'wrong',
            message: `The current PIN is not right. ${counted.attemptsLeft} tries left.`,
            attemptsLeft: counted.attemptsLeft,
          };
    }
    const weak = weakPinReason(next);
    if (weak !== undefined || !isValidPin(next)) {
      return { ok: false, reason: 'invalid', message: weak ?? 'A PIN is 4 to 12 digits.' };
    }
    const changed: StaffFile = {
      ...d,
      pinHash: await hashPin(next),
      pinChangedAt: new Date(at).toISOString(),
      failures: 0,
      lockouts: 0,
    };
    delete changed.lockedUntil;
    try {
      // Saved before it applies: a PIN that only lived in memory would quietly revert at the next restart.
      await writeStaffFile(opts.file, `${JSON.stringify(changed, null, 2)}\n`);
    } catch (err) {
      log(`Could not save the new staff PIN to ${opts.file} (${String(err)}); the old PIN still applies.`);
      return {
        ok: false,
        reason: 'unsaved',
        message: 'The new PIN could not be saved (is the disk full?); the old PIN still applies.',
      };
    }
    data = changed;
    return { ok: true };
  };

  const session = (token: string | undefined, touch = true): 'none' | 'first-run' | 'staff' => {
    if (!token) return 'none';
    const last = sessions.get(token);
    if (last === undefined) return 'none';
    const at = now();
    if (at - last > idleMs) {
      sessions.delete(token);
      return 'none';
    }
    if (touch) sessions.set(token, at);
    // Sessions exist only once the file was read; memory is the truth from then on.
    return data?.pinHash ? 'staff' : 'first-run';
  };

  return {
    idleMs,
    login: (pin) => serial(() => login(pin)),
    changePin: (currentPin, next) => serial(() => changePin(currentPin, next)),
    session,
    check: (token, touch = true) => session(token, touch) === 'staff',
    logout(token) {
      if (token) sessions.delete(token);
    },
    async usingDefaultPin() {
      const d = await current();
      // A damaged file allows nothing, least of all what the first-run PIN allows.
      return d ? !d.pinHash : true;
    },
  };
}
