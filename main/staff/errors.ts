/**
 * The kiosk's recent errors, for the staff panel: a fixed-size ring, so
 * months of running never grow it, with repeats of the same message folded
 * into one line with a count.
 */

import type { ErrorEntry } from '../contract/staff.js';

export type { ErrorEntry };

/** A bounded list of recent errors, newest last. */
export class ErrorRing {
  #entries: ErrorEntry[] = [];
  constructor(
    readonly capacity = 50,
    private readonly now: () => number = Date.now,
  ) {}

  /** Remembers one error; a repeat of the newest entry only bumps its count. */
  add(source: string, message: string, level: ErrorEntry['level'] = 'error'): void {
    const at = new Date(this.now()).toISOString();
    const text = message.replace(/\s+/g, ' ').trim().slice(0, 500);
    const last = this.#entries.at(-1);
    if (last && last.source === source && last.message === text && last.level === level) {
      last.count += 1;
      last.at = at;
      return;
    }
    this.#entries.push({ at, level, source, message: text, count: 1 });
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  /** The entries, newest first. */
  list(limit = this.capacity): ErrorEntry[] {
    return this.#entries.slice(-limit).reverse();
  }
}
