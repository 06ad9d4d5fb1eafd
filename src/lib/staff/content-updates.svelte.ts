/**
 * The staff layer's content update policy. When a version is applied (the visit decides when:
 * at the next reset, never mid-visit) the renderer tells the host it starts drawing it; once
 * drawn it confirms the version to the host, and an error before that lets the host roll back
 * by itself. In the editors' preview each saved edit shows at once.
 */
import { tick } from 'svelte';
import type { HostFeatures } from '../../../main/contract/exhibit.js';
import type { UpdatePolicy } from '../visit.svelte';
import { reportApplying, reportRendered } from './staff-api';

/** The host-reporting {@link UpdatePolicy} the staff layer passes to the visit. */
export class ContentUpdates implements UpdatePolicy {
  readonly #host: () => HostFeatures | null;
  #errorSeen = false;
  #lastConfirmed: string | null = null;

  /** `host` says what the host serves (from the exhibit payload): reports go only where heard. */
  constructor(host: () => HostFeatures | null) {
    this.#host = host;
  }

  /** Editors' preview: show each saved edit at once instead of at the next reset. */
  get immediate(): boolean {
    return this.#host()?.editorPreview ?? false;
  }

  /** Tells the host `version` is about to be drawn, then loads it. */
  async apply(version: string, load: () => Promise<void>): Promise<void> {
    this.#errorSeen = false;
    if (this.#host()?.staff) await reportApplying(version);
    await load();
  }

  /** Notices page errors, which withhold the confirmation; returns a function that stops it. */
  watchErrors(): () => void {
    const onError = () => {
      this.#errorSeen = true;
    };
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    return () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    };
  }

  /**
   * Called whenever the shown version changes: after the screen has been drawn
   * twice without an error, tells the host the version works.
   */
  async confirm(version: string): Promise<void> {
    if (this.#lastConfirmed === version || !this.#host()?.staff) return;
    await tick();
    await new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())));
    if (this.#errorSeen) return;
    this.#lastConfirmed = version;
    await reportRendered(version);
  }
}
