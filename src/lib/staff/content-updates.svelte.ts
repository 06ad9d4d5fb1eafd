/**
 * New content reaches visitors only between visits: an announced version
 * waits until the next idle reset (or is taken at once while the attract loop
 * shows, as nobody is mid-visit). Once drawn, the renderer confirms it to the
 * host; an error before that lets the host roll back by itself.
 */
import { tick } from 'svelte';
import type { Content } from '../content.svelte';
import type { Kiosk } from '../kiosk.svelte';
import { reportApplying, reportRendered } from './staff-api';

/** Whether a version is waiting for the next reset (for tests and the staff panel). */
export class ContentUpdates {
  waiting = $state<string | null>(null);
  /** Editors' preview: show each saved edit at once instead of at the next reset. */
  immediate = false;

  #apply: (() => Promise<void>) | null = null;
  #errorSeen = false;
  #lastConfirmed: string | null = null;

  constructor(
    private readonly content: Content,
    private readonly kiosk: Kiosk,
  ) {}

  /** Takes over when announced versions are applied; returns a function that undoes it. */
  install(): () => void {
    this.content.schedule = (version, apply) => {
      this.waiting = version;
      this.#apply = async () => {
        this.#errorSeen = false;
        await reportApplying(version);
        await apply();
      };
      if (this.immediate || this.kiosk.screen === 'attract') void this.flush();
    };
    const offReset = this.kiosk.onReset(() => void this.flush());
    const onError = () => {
      this.#errorSeen = true;
    };
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    return () => {
      offReset();
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    };
  }

  /** Applies the waiting version now. */
  async flush(): Promise<void> {
    const apply = this.#apply;
    this.#apply = null;
    this.waiting = null;
    if (apply) await apply();
  }

  /**
   * Called whenever the shown version changes: after the screen has been drawn
   * twice without an error, tells the host the version works.
   */
  async confirm(version: string): Promise<void> {
    if (this.#lastConfirmed === version) return;
    await tick();
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    if (this.#errorSeen) return;
    this.#lastConfirmed = version;
    await reportRendered(version);
  }
}
