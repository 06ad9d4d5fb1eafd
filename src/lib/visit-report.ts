/**
 * The renderer's half of the visit counts: while a visit lasts, a handful of
 * counters in memory (chapters opened and seconds on each, extras, language,
 * narration, access modes, zooms); when it ends (the idle reset or "Start
 * over") one summary goes to `POST /api/visits` and the counters are cleared.
 * Nothing is sent per event and nothing of when things happened, so the host
 * never sees a visitor's path. Observing costs a touch nothing: the app feeds
 * the tally from effects that run after the screen changed.
 */
import type { VisitEnd, VisitSummary } from '../../main/contract/visits.js';

/** What the tally watches of the visitor state. */
export interface VisitView {
  screen: string;
  chapter: number;
  lang: string;
}

const EXTRAS = new Set(['timeline', 'numbers', 'map', 'credits']);
// The contract's lists, written out: importing them would pull the staff page's tables into the entry.
const ACCESS = new Set(['largeText', 'highContrast', 'reducedMotion', 'audioGuide']);

/** One visit's counters; pure, with the clock passed in. */
export class VisitTally {
  #start: number | null = null;
  /** The chapter on screen and since when. */
  #on: { id: string; since: number } | null = null;
  #chapters = new Map<string, number>();
  #furthest = -1;
  #extras = new Set<string>();
  #access = new Set<string>();
  #lang = '';
  #narrationStarted = 0;
  #narrationFinished = 0;
  #narrating: { since: number; seconds: number } | null = null;
  #zooms = 0;
  /** Staff opened their panel during this visit: it is not a visitor's. */
  #staff = false;

  /** Whether a visit is under way (the first touch left the attract loop). */
  get active(): boolean {
    return this.#start !== null;
  }

  /** The visitor state changed (`ids`: the exhibit's chapter ids, in order). */
  view(v: VisitView, ids: readonly string[], at: number): void {
    if (v.screen === 'attract') return;
    this.#start ??= at;
    this.#lang = v.lang;
    const onChapter = v.screen === 'chapter' || v.screen === 'viewer';
    const id = onChapter ? ids[v.chapter] : undefined;
    if (this.#on?.id !== id) {
      this.#leaveChapter(at);
      if (id !== undefined) {
        this.#on = { id, since: at };
        if (!this.#chapters.has(id)) this.#chapters.set(id, 0);
        this.#furthest = Math.max(this.#furthest, v.chapter);
      }
    }
    if (EXTRAS.has(v.screen)) this.#extras.add(v.screen);
  }

  /** An access mode is on (counted once per visit). */
  accessOn(mode: string): void {
    if (ACCESS.has(mode)) this.#access.add(mode);
  }

  /** Narration started playing; `seconds` is its length. */
  narrationPlaying(seconds: number, at: number): void {
    if (this.#narrating) {
      // The length is often known only once the sound has loaded.
      if (seconds > 0) this.#narrating.seconds = seconds;
      return;
    }
    this.#narrationStarted += 1;
    this.#narrating = { since: at, seconds };
  }

  /** Narration stopped: it counts as heard when it played (about) to its end. */
  narrationStopped(at: number): void {
    const n = this.#narrating;
    if (!n) return;
    this.#narrating = null;
    if (n.seconds > 0 && (at - n.since) / 1000 >= n.seconds - 1.5) this.#narrationFinished += 1;
  }

  /** Staff opened their panel: the visit under way (their own gesture started it) is not counted. */
  staffPresent(): void {
    this.#staff = true;
  }

  /** The visitor zoomed a picture. */
  zoom(): void {
    this.#zooms += 1;
  }

  /**
   * Ends the visit at `at` and returns its summary (undefined when none was
   * under way), clearing every counter. `walkedAway` is the time the kiosk
   * waited before the reset (idle + countdown): not part of the visit.
   */
  end(ended: VisitEnd, at: number, walkedAway = 0): VisitSummary | undefined {
    const start = this.#start;
    const last = Math.max(start ?? at, at - (ended === 'idle' ? walkedAway : 0));
    this.#leaveChapter(last);
    this.narrationStopped(at);
    const summary: VisitSummary | undefined =
      start === null || this.#staff
        ? undefined
        : {
            seconds: Math.round((last - start) / 1000),
            chapters: Object.fromEntries([...this.#chapters].map(([id, ms]) => [id, Math.round(ms / 1000)])),
            furthest: this.#furthest,
            extras: [...this.#extras],
            lang: this.#lang,
            narrationStarted: this.#narrationStarted,
            narrationFinished: this.#narrationFinished,
            access: [...this.#access],
            zooms: this.#zooms,
            ended,
          };
    this.#start = null;
    this.#staff = false;
    this.#on = null;
    this.#chapters.clear();
    this.#furthest = -1;
    this.#extras.clear();
    this.#access.clear();
    this.#narrationStarted = 0;
    this.#narrationFinished = 0;
    this.#narrating = null;
    this.#zooms = 0;
    return summary;
  }

  #leaveChapter(at: number): void {
    if (!this.#on) return;
    const spent = Math.max(0, at - this.#on.since);
    this.#chapters.set(this.#on.id, (this.#chapters.get(this.#on.id) ?? 0) + spent);
    this.#on = null;
  }
}

/** The kiosk's one tally. */
export const visitTally = new VisitTally();

/** The viewer calls this when a gesture left a picture zoomed in further. */
export function noteZoom(): void {
  visitTally.zoom();
}

/** Sends one summary to the host; off the reset's path, and never retried (a lost count is fine). */
export function postVisit(summary: VisitSummary, fetcher: typeof fetch = fetch): void {
  setTimeout(() => {
    fetcher('api/visits', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(summary),
      keepalive: true,
    }).catch(() => undefined);
  }, 0);
}
