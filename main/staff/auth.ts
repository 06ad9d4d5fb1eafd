/**
 * Staff sign-in: a PIN exchanged for a short-lived session token, a lockout
 * after repeated wrong PINs, and sessions that end by themselves after a
 * minute untouched. Only the PIN's scrypt hash is written to disk, in
 * `staff.json` in the app's user-data folder; the lockout survives restarts
 * so pulling the plug does not reset the count.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../common/atomic-write.js';
import { DEFAULT_PIN, hashPin, isValidPin, verifyPin } from './pin.js';

/** What `staff.json` holds. Never the PIN itself. */
interface StaffFile {
  pinHash?: string;
  pinChangedAt?: string;
  failures?: number;
  /** Epoch ms until which sign-in is refused. */
  lockedUntil?: number;
}

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
}

/** The outcome of a sign-in attempt. */
type LoginResult =
  | { ok: true; token: string; defaultPin: boolean; idleMs: number }
  | { ok: false; reason: 'wrong'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; retryAfterMs: number }
  | { ok: false; reason: 'invalid' };

/** Staff sessions for one kiosk. */
export interface StaffAuth {
  login(pin: unknown): Promise<LoginResult>;
  /** True when `token` is a live session; `touch` extends it (a staff action, not a status poll). */
  check(token: string | undefined, touch?: boolean): boolean;
  logout(token: string | undefined): void;
  /** Replaces the PIN; the current one must be given again. */
  changePin(current: unknown, next: unknown): Promise<{ ok: true } | { ok: false; message: string }>;
  /** True while the documented default PIN still opens the panel. */
  usingDefaultPin(): Promise<boolean>;
  readonly idleMs: number;
}

async function readStaffFile(file: string): Promise<StaffFile> {
  try {
    const raw = JSON.parse(await readFile(file, 'utf8')) as StaffFile;
    return typeof raw === 'object' && raw !== null ? raw : {};
  } catch {
    return {};
  }
}

async function writeStaffFile(file: string, data: StaffFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  // Atomic, so a power cut mid-write cannot lose the PIN hash or the lockout.
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
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
  const sessions = new Map<string, number>();
  // Sign-ins are checked one at a time, so parallel guesses cannot slip past the failure count.
  let chain: Promise<unknown> = Promise.resolve();
  let lockouts = 0;

  const pinMatches = async (pin: string, data: StaffFile) =>
    data.pinHash ? verifyPin(pin, data.pinHash) : sameText(pin, DEFAULT_PIN);

  const login = async (pin: unknown): Promise<LoginResult> => {
    const data = await readStaffFile(opts.file);
    const at = now();
    if (data.lockedUntil && data.lockedUntil > at) {
      return { ok: false, reason: 'locked', retryAfterMs: data.lockedUntil - at };
    }
    if (typeof pin !== 'string' || pin.length > 64) return { ok: false, reason: 'invalid' };
    if (await pinMatches(pin, data)) {
      if (data.failures || data.lockedUntil) {
        await writeStaffFile(opts.file, { ...data, failures: 0, lockedUntil: undefined });
      }
      lockouts = 0;
      const token = randomBytes(32).toString('hex');
      sessions.set(token, at);
      return { ok: true, token, defaultPin: !data.pinHash, idleMs };
    }
    const failures = (data.failures ?? 0) + 1;
    if (failures >= maxFailures) {
      const ms = Math.min(60 * 60_000, baseLockout * 2 ** lockouts);
      lockouts += 1;
      await writeStaffFile(opts.file, { ...data, failures: 0, lockedUntil: at + ms });
      return { ok: false, reason: 'locked', retryAfterMs: ms };
    }
    await writeStaffFile(opts.file, { ...data, failures });
    return { ok: false, reason: 'wrong', attemptsLeft: maxFailures - failures };
  };

  return {
    idleMs,
    login(pin) {
      const result = chain.then(() => login(pin));
      chain = result.catch(() => undefined);
      return result;
    },
    check(token, touch = true) {
      if (!token) return false;
      const last = sessions.get(token);
      if (last === undefined) return false;
      const at = now();
      if (at - last > idleMs) {
        sessions.delete(token);
        return false;
      }
      if (touch) sessions.set(token, at);
      return true;
    },
    logout(token) {
      if (token) sessions.delete(token);
    },
    async changePin(current, next) {
      const data = await readStaffFile(opts.file);
      if (typeof current !== 'string' || !(await pinMatches(current, data))) {
        return { ok: false, message: 'The current PIN is not right.' };
      }
      if (!isValidPin(next)) return { ok: false, message: 'A PIN is 4 to 12 digits.' };
      if (next === DEFAULT_PIN) return { ok: false, message: 'Choose a PIN other than the default one.' };
      await writeStaffFile(opts.file, {
        ...data,
        pinHash: await hashPin(next),
        pinChangedAt: new Date(now()).toISOString(),
      });
      return { ok: true };
    },
    async usingDefaultPin() {
      return !(await readStaffFile(opts.file)).pinHash;
    },
  };
}
