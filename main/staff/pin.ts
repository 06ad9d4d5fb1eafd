/**
 * The staff PIN: only a salted scrypt hash of it is ever stored, and it is
 * compared in constant time. The format is self-describing so the cost can
 * rise later without breaking stored hashes: `scrypt$N$r$p$salt$hash` (hex).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** The PIN a fresh kiosk accepts until staff change it (documented in docs/staff-guide.md). */
export const DEFAULT_PIN = '1945';

/** Cost parameters: about 50 ms on a small kiosk PC, 16 MiB of memory. */
const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(pin: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(pin.normalize('NFKC'), salt, KEY_LENGTH, { ...opts, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Whether `pin` is an acceptable staff PIN: 4 to 12 digits. */
export function isValidPin(pin: unknown): pin is string {
  return typeof pin === 'string' && /^\d{4,12}$/.test(pin);
}

/**
 * Why `pin` is too easy to guess as a new staff PIN, in staff words, or
 * undefined when it will do. Refused: anything but 4 to 12 digits, the
 * first-run PIN, one digit repeated (0000), and a straight run up or down
 * (1234, 0123, 9876), which are the first guesses of anyone at the screen.
 */
export function weakPinReason(pin: unknown): string | undefined {
  if (!isValidPin(pin)) return 'A PIN is 4 to 12 digits.';
  if (pin === DEFAULT_PIN) return 'Choose a PIN other than the first-run one.';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => d - (digits[i] as number)));
  if (steps.size === 1) {
    const [step] = steps;
    if (step === 0) return 'A PIN of one digit repeated is too easy to guess; choose a less obvious one.';
    if (step === 1 || step === -1)
      return 'A PIN of digits counting up or down is too easy to guess; choose a less obvious one.';
  }
  return undefined;
}

/** Hashes a PIN with a fresh random salt. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('hex'), key.toString('hex')].join('$');
}

/** Checks a PIN against a stored hash; false for any malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'hex');
  const want = Buffer.from(parts[5] ?? '', 'hex');
  if (!N || !r || !p || salt.length === 0 || want.length !== KEY_LENGTH) return false;
  try {
    const got = await scrypt(pin, salt, { N, r, p });
    return timingSafeEqual(got, want);
  } catch {
    return false;
  }
}
