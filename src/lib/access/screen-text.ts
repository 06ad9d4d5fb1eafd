/**
 * What the audio guide reads for the screen a visitor is on: built from the
 * exhibit and the visitor state rather than scraped from the page, so it is
 * the same text whatever a screen's markup looks like, and testable without
 * a browser.
 */
import type { Exhibit } from '../../../main/contract/exhibit.js';
import { pick } from '../../../main/contract/exhibit.js';
// Strings the guide reads that no eager screen shows (the extra screens' introductions, image and
// credit labels): they load with this module, which the dock imports on the first request.
import '../i18n/lazy/extras.js';
import '../i18n/lazy/guide.js';

/** Where the visitor is, as far as the guide needs to know. */
export interface GuideView {
  /** `kiosk.screen`. */
  screen: string;
  /** Index of the current chapter. */
  chapter: number;
  /** Index of the chapter's image shown large (and in the viewer when open). */
  image: number;
  /** The full-screen image viewer is open. */
  viewer: boolean;
  /** The "Still there?" countdown is showing (it covers everything else). */
  idleWarning: boolean;
  lang: string;
}

/** A UI string lookup, `t` from `lib/i18n` bound to nothing. */
export type Translate = (lang: string, key: string, params?: Record<string, string | number>) => string;

/** The i18n keys of each extra screen's title and introduction. */
const EXTRA_KEYS: Record<string, { title: string; intro: string }> = {
  timeline: { title: 'extras.timeline.title', intro: 'extras.timeline.intro' },
  numbers: { title: 'extras.numbers.title', intro: 'extras.numbers.intro' },
  map: { title: 'extras.map.title', intro: 'extras.map.hint' },
  credits: { title: 'extras.credits.title', intro: 'extras.credits.intro' },
};

/**
 * The pieces of text the guide reads for `view`, in reading order: for a
 * chapter its position, date and title, the image's description and caption,
 * then the text; for the viewer the image's description, caption and credit;
 * for home and the attract loop the exhibit and what to do; for the idle
 * countdown its question. Empty pieces are left out.
 */
export function describeScreen(exhibit: Exhibit, view: GuideView, t: Translate): string[] {
  const { lang } = view;
  const p = (text: Parameters<typeof pick>[0]) => pick(text, lang, exhibit.settings.defaultLanguage);
  const out: string[] = [];
  const add = (...texts: (string | undefined)[]) => {
    for (const s of texts) if (s && s.trim()) out.push(s.trim());
  };

  if (view.idleWarning) {
    add(t(lang, 'idle.title'), t(lang, 'idle.body'), t(lang, 'access.guide.idleChoices'));
    return out;
  }

  const chapter = exhibit.chapters[view.chapter];
  const image = chapter?.images[Math.min(view.image, Math.max(0, chapter.images.length - 1))];

  switch (view.screen) {
    case 'attract':
      add(p(exhibit.title), p(exhibit.subtitle), t(lang, 'attract.hint'));
      break;
    case 'home':
      add(p(exhibit.title), p(exhibit.subtitle), t(lang, 'home.intro'), t(lang, 'home.chapters'));
      exhibit.chapters.forEach((c, i) => add(`${i + 1}. ${p(c.title)}, ${p(c.dateLabel)}`));
      break;
    case 'chapter':
    case 'viewer':
      if (!chapter) break;
      if (view.viewer && image) {
        add(
          t(lang, 'access.guide.image', { alt: p(image.alt) }),
          p(image.caption),
          t(lang, 'access.guide.credit', { credit: p(image.credit) }),
        );
        break;
      }
      add(
        t(lang, 'nav.position', { n: view.chapter + 1, total: exhibit.chapters.length }),
        p(chapter.dateLabel),
        p(chapter.title),
      );
      if (image) add(t(lang, 'access.guide.image', { alt: p(image.alt) }), p(image.caption));
      for (const para of chapter.body) add(p(para));
      break;
    default: {
      const keys = EXTRA_KEYS[view.screen];
      if (keys) add(t(lang, keys.title), t(lang, keys.intro));
    }
  }
  return out;
}
