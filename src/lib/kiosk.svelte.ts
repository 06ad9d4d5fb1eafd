/**
 * The visitor's state: which screen, which chapter, which image is open, and
 * the language. One instance for the whole app; `reset()` returns every bit of
 * it to how the next visitor should find it (the visit, `visit.svelte.ts`,
 * calls it and then puts back everything else).
 */

/** Every screen a visitor can be on. */
export type Screen = 'attract' | 'home' | 'chapter' | 'viewer' | 'timeline' | 'numbers' | 'map' | 'credits';

/** The extra screens beside the chapters (timeline, numbers, map, credits), reached from home. */
const EXTRA_SCREENS = ['timeline', 'numbers', 'map', 'credits'] as const;
export type ExtraScreen = (typeof EXTRA_SCREENS)[number];

/** The image open in the full-screen viewer. */
export interface ViewerState {
  /** Index of the image within the current chapter's images. */
  image: number;
}

/** Where the visitor is and in which language. */
export class Kiosk {
  screen = $state<Screen>('attract');
  /** Index into the exhibit's chapters. */
  chapter = $state(0);
  /** Direction of the last chapter change, for the slide transition: 1 forward, -1 back. */
  direction = $state<1 | -1>(1);
  /** Which of the chapter's images is shown large. */
  image = $state(0);
  viewer = $state<ViewerState | null>(null);
  lang = $state('en');

  #defaultLang = 'en';
  #chapterCount = 1;

  /** Tells the state what the loaded exhibit allows: default language and chapter count. */
  configure(opts: { defaultLang: string; chapterCount: number }): void {
    const wasDefault = this.lang === this.#defaultLang;
    this.#defaultLang = opts.defaultLang;
    this.#chapterCount = Math.max(1, opts.chapterCount);
    if (wasDefault) this.lang = opts.defaultLang;
    if (this.chapter >= this.#chapterCount) this.chapter = this.#chapterCount - 1;
  }

  /** The language restored at reset. */
  get defaultLang(): string {
    return this.#defaultLang;
  }

  get chapterCount(): number {
    return this.#chapterCount;
  }

  /** Leaves the attract loop for the home screen. */
  wake(): void {
    if (this.screen === 'attract') this.screen = 'home';
  }

  home(): void {
    this.viewer = null;
    this.screen = 'home';
  }

  /** Opens chapter `index` (clamped), sliding in the direction of travel. */
  openChapter(index: number): void {
    const next = Math.min(Math.max(0, index), this.#chapterCount - 1);
    this.direction = next >= this.chapter ? 1 : -1;
    this.chapter = next;
    this.image = 0;
    this.viewer = null;
    this.screen = 'chapter';
  }

  /** Moves to the next chapter; returns false at the last one. */
  next(): boolean {
    if (this.chapter >= this.#chapterCount - 1) return false;
    this.openChapter(this.chapter + 1);
    return true;
  }

  /** Moves to the previous chapter; returns false at the first one. */
  previous(): boolean {
    if (this.chapter <= 0) return false;
    this.openChapter(this.chapter - 1);
    return true;
  }

  openExtra(screen: ExtraScreen): void {
    this.viewer = null;
    this.screen = screen;
  }

  /** Opens image `image` of the current chapter full screen. */
  openViewer(image: number): void {
    this.image = image;
    this.viewer = { image };
    this.screen = 'viewer';
  }

  /** Shows image `image` of the current chapter, in the chapter and in the viewer if open. */
  showImage(image: number): void {
    this.image = image;
    if (this.viewer) {
      this.viewer = { image };
    }
  }

  closeViewer(): void {
    this.viewer = null;
    this.screen = 'chapter';
  }

  setLang(lang: string): void {
    this.lang = lang;
  }

  /** Back to the attract loop with nothing of the last visitor left: screen, chapter, viewer, language. */
  reset(): void {
    this.screen = 'attract';
    this.chapter = 0;
    this.direction = 1;
    this.image = 0;
    this.viewer = null;
    this.lang = this.#defaultLang;
  }
}

/** The kiosk's one visitor state. */
export const kiosk = new Kiosk();
