/**
 * The one content schema. The renderer, both hosts and the content CLI all
 * validate against this module, so it imports nothing but zod and the HTTP
 * contract: it must stay safe to bundle into the browser.
 */
import { z } from 'zod';
import { INTERFACE_KEYS, type InterfaceKey } from '../contract/interface-strings.js';
import { isKnownTimeZone, parseClosure, parseRange, WEEKDAYS, type Weekday } from '../contract/schedule.js';

/** A BCP 47 primary language tag such as `en` or `ru`. */
const LanguageCode = z
  .string()
  .regex(/^[a-z]{2,3}$/, 'use a two- or three-letter language code such as "en" or "ru"');
type LanguageCode = z.infer<typeof LanguageCode>;

/**
 * Text in one or more languages, keyed by language code. Which languages are
 * required is decided by `settings.languages` in {@link Exhibit}.
 */
export const LocalizedText = z.record(LanguageCode, z.string().trim().min(1, 'text must not be empty'));
export type LocalizedText = z.infer<typeof LocalizedText>;

/** A lower-case identifier used in URLs and file names. */
const Slug = z
  .string()
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    'use lower-case letters, digits and single hyphens, e.g. "yalta-agreement"',
  );

/**
 * A path to a media file inside the content folder's `media/` directory.
 * Absolute paths, backslashes, `..` segments and URLs are refused here; the
 * hosts check again against the real file system (symlinks).
 */
const MediaPath = z
  .string()
  .regex(/^media\/[A-Za-z0-9._\-/]+$/, { error: (issue) => mediaPathMessage(String(issue.input)) })
  .refine((p) => !p.split('/').some((seg) => seg === '..' || seg === '.' || seg === ''), {
    message: 'media paths may not contain "..", "." or empty segments',
  });
type MediaPath = z.infer<typeof MediaPath>;

/** Why a media path is refused, naming the first character it may not use. */
function mediaPathMessage(p: string): string {
  if (!p.startsWith('media/')) return `"${p}" does not start with "media/": media paths start with "media/"`;
  const bad = [...p.slice('media/'.length)].find((ch) => !/[A-Za-z0-9._\-/]/.test(ch)) ?? '';
  const named = bad === ' ' ? 'a space' : bad === '\\' ? 'a backslash ("\\")' : `"${bad}"`;
  return `"${p}" contains ${named}, which a media path may not use: use only the letters a-z and A-Z, digits, ".", "_", "-" and "/"`;
}

/** What staff do about a media path {@link MediaPath} refuses. */
export const RENAME_MEDIA_HINT =
  'rename the file in media/ with only those characters, and write its new name here';

/** Why `p` is refused as a media path, or undefined when it is a valid one. */
export function mediaPathProblem(p: string): string | undefined {
  const r = MediaPath.safeParse(p);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** An ISO calendar date, `YYYY-MM-DD`, or a year-month `YYYY-MM`, or a year. */
const IsoDate = z
  .string()
  .regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'write dates as YYYY-MM-DD, YYYY-MM or YYYY');

/** What to write instead, for each way an opening range or closed day can be wrong. */
function scheduleHint(message: string): string {
  if (/is not a time range/.test(message)) return 'write two 24-hour times joined by "-", e.g. "09:00-18:00"';
  if (/hours go from/.test(message)) return 'write the hour as 00 to 23; only an end may be 24:00 (midnight)';
  if (/minutes go from/.test(message)) return 'write the minutes as 00 to 59';
  if (/starts at 24:00/.test(message)) return "start it at 00:00 in the next day's list instead";
  if (/starts and ends at the same time/.test(message))
    return 'for a whole day write "00:00-24:00"; for a closed day leave its list empty: []';
  if (/is not a calendar date/.test(message))
    return 'check the day and month: write YYYY-MM-DD, e.g. "2026-12-25"';
  if (/ends before it starts/.test(message)) return 'swap the two dates: the earlier one goes first';
  return 'write a day as "2026-12-25", or several as "2026-12-24..2026-12-26"';
}

/** One opening range of a day, `HH:MM-HH:MM`; an end before the start is on the next day. */
const TimeRange = z.string().superRefine((text, ctx) => {
  const r = parseRange(text);
  if ('error' in r)
    ctx.addIssue({ code: 'custom', message: r.error, params: { hint: scheduleHint(r.error) } });
});

/** A whole-day closure: a date, or a range of dates with both ends included. */
const Closure = z.string().superRefine((text, ctx) => {
  const c = parseClosure(text);
  if ('error' in c)
    ctx.addIssue({ code: 'custom', message: c.error, params: { hint: scheduleHint(c.error) } });
});

/**
 * When the kiosk is open (see main/contract/schedule.ts for the rules); outside
 * these hours its screen is black. Absent: always open.
 */
const OpeningHours = z
  .object({
    /** Per weekday (`mon` ... `sun`), the ranges it is open; a day left out or empty is closed. */
    weekly: z
      .object(
        Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(TimeRange).default([])])) as Record<
          Weekday,
          z.ZodDefault<z.ZodArray<typeof TimeRange>>
        >,
      )
      .strict(),
    /** Whole days closed, e.g. holidays: `"2026-12-25"` or `"2026-12-24..2026-12-26"`. */
    closed: z.array(Closure).default([]),
    /** An IANA time zone such as `Europe/Berlin`; default the kiosk's own. */
    timeZone: z
      .string()
      .refine(isKnownTimeZone, {
        error: (issue) => `"${String(issue.input)}" is not a time zone this kiosk knows`,
        params: {
          hint: 'write one like "Europe/Berlin" or "America/New_York", or leave "timeZone" out to use the kiosk\'s own',
        },
      })
      .optional(),
  })
  .strict();
type OpeningHours = z.infer<typeof OpeningHours>;

/** Settings staff may tune per exhibit. */
export const Settings = z
  .object({
    /** Seconds without a touch before the "Still there?" countdown. */
    idleSeconds: z.number().int().min(5).max(3600).default(90),
    /** Length of the "Still there?" countdown, in seconds. */
    countdownSeconds: z.number().int().min(3).max(120).default(15),
    /** How long each attract-loop slide stays up, in seconds. */
    attractSecondsPerSlide: z.number().min(2).max(120).default(8),
    /** The language a visitor meets first, and the one restored at reset. */
    defaultLanguage: LanguageCode.default('en'),
    /**
     * Every language the exhibit is offered in, the first being the one shown
     * wherever a text lacks the visitor's language.
     */
    languages: z.array(LanguageCode).min(1).default(['en']),
    /** Audio limits staff set; visitors can mute but never exceed them. */
    audio: z
      .object({
        maxVolume: z.number().min(0).max(1).default(0.8),
        uiSounds: z.boolean().default(true),
        ambient: z.boolean().default(false),
      })
      .strict()
      .default({ maxVolume: 0.8, uiSounds: true, ambient: false }),
    /** When the kiosk is open; outside these hours the screen is black. Absent: always open. */
    openingHours: OpeningHours.optional(),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** A screen-sized copy of an image, made by `content build`. */
export const ImageVariant = z
  .object({ src: MediaPath, width: z.number().int().positive(), height: z.number().int().positive() })
  .strict();
export type ImageVariant = z.infer<typeof ImageVariant>;

/** One image slot: a real scan, or a placeholder plate until the museum supplies it. */
export const ImageSlot = z
  .object({
    id: Slug,
    src: MediaPath,
    /** True while `src` is a generated plate standing in for the archival image. */
    placeholder: z.boolean().default(false),
    caption: LocalizedText,
    credit: LocalizedText,
    /** What the image shows, for visitors who cannot see it. */
    alt: LocalizedText,
    /** Pixel size of `src`, filled in by `content build`; lets the layout reserve space. */
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    /** Curator's flag: kept out of the unattended attract loop. */
    sensitive: z.boolean().default(false),
    /**
     * Screen-sized copies made by `content build`; filled in by the host from
     * `media/_screen/variants.json`, never written by hand.
     */
    variants: z.array(ImageVariant).optional(),
  })
  .strict();
export type ImageSlot = z.infer<typeof ImageSlot>;

/** Narration for one language: an audio file and its WebVTT captions. */
const Narration = z
  .object({
    audio: MediaPath,
    captions: MediaPath,
    /** Credit shown with the narration, e.g. that it is a synthetic placeholder. */
    credit: LocalizedText.optional(),
  })
  .strict();
type Narration = z.infer<typeof Narration>;

/** A chapter of the exhibit: one screen a visitor reads. */
export const Chapter = z
  .object({
    id: Slug,
    title: LocalizedText,
    /** The date as shown to visitors, e.g. "9 August 1945". */
    dateLabel: LocalizedText,
    /** The date for ordering, ISO form. */
    date: IsoDate,
    /** One line shown on the home screen and in the attract loop. */
    summary: LocalizedText,
    /** Paragraphs of body text. */
    body: z.array(LocalizedText).min(1),
    images: z.array(ImageSlot).default([]),
    /** Per-language narration, keyed by language code. */
    narration: z.record(LanguageCode, Narration).optional(),
    sensitive: z.boolean().default(false),
  })
  .strict();
export type Chapter = z.infer<typeof Chapter>;

/** One entry of the timeline screen. */
export const TimelineEntry = z
  .object({
    date: IsoDate,
    dateLabel: LocalizedText,
    text: LocalizedText,
    chapter: Slug,
  })
  .strict();
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** One large figure on the "In numbers" screen. */
export const Figure = z
  .object({
    id: Slug,
    /** The number itself, for count-up animation and sorting. */
    value: z.number(),
    /** How the number is shown, e.g. "1.6 million" or "over 5,000 km". */
    display: LocalizedText,
    label: LocalizedText,
    chapter: Slug,
  })
  .strict();
export type Figure = z.infer<typeof Figure>;

/** A named place on the campaign map. */
export const MapPlace = z
  .object({
    id: Slug,
    name: LocalizedText,
    /** Longitude, latitude in degrees. */
    coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
    kind: z.enum(['city', 'region', 'water', 'islands']).default('city'),
    chapter: Slug.optional(),
  })
  .strict();
export type MapPlace = z.infer<typeof MapPlace>;

/** A schematic direction of advance on the campaign map. */
export const MapAdvance = z
  .object({
    id: Slug,
    label: LocalizedText,
    /** Points along the arrow, [longitude, latitude], from start to head. */
    path: z.array(z.tuple([z.number(), z.number()])).min(2),
    force: z.enum(['transbaikal', 'far-eastern-1', 'far-eastern-2', 'fleet']),
  })
  .strict();
export type MapAdvance = z.infer<typeof MapAdvance>;

/** The campaign map's content. */
const CampaignMap = z
  .object({
    title: LocalizedText,
    note: LocalizedText,
    places: z.array(MapPlace).default([]),
    advances: z.array(MapAdvance).default([]),
    credit: LocalizedText,
  })
  .strict();
type CampaignMap = z.infer<typeof CampaignMap>;

/** A credit line on the credits screen. */
const CreditEntry = z
  .object({
    what: LocalizedText,
    who: LocalizedText,
    licence: LocalizedText.optional(),
  })
  .strict();
type CreditEntry = z.infer<typeof CreditEntry>;

/**
 * The kiosk's own buttons and labels in one language: any of the built-in
 * keys (a key left out shows in English), and no other key.
 */
const InterfaceTable = z
  .object(
    Object.fromEntries(
      INTERFACE_KEYS.map((key) => [key, z.string().trim().min(1, 'text must not be empty').optional()]),
    ) as Record<InterfaceKey, z.ZodOptional<z.ZodString>>,
  )
  .strict();

const ExhibitShape = z
  .object({
    schemaVersion: z.literal(1),
    id: Slug,
    /** A version string staff or the packer set; shown in the staff panel. */
    // `version: 2` reads as a number in YAML; it means the text "2".
    version: z
      .union([z.string().min(1), z.number()])
      .transform((v) => String(v))
      .default('0'),
    title: LocalizedText,
    subtitle: LocalizedText,
    source: z
      .object({
        name: LocalizedText,
        title: LocalizedText,
        url: z.url().optional(),
      })
      .strict(),
    settings: Settings.default(Settings.parse({})),
    chapters: z.array(Chapter).min(1),
    timeline: z.array(TimelineEntry).default([]),
    figures: z.array(Figure).default([]),
    map: CampaignMap.optional(),
    credits: z.array(CreditEntry).default([]),
    /**
     * The kiosk's own interface strings per language code, for languages it
     * does not have built in (English and Russian), or to reword those.
     */
    interface: z.record(LanguageCode, InterfaceTable).optional(),
  })
  .strict();

/** Every localized text in a value, with its path, for language checks. */
export function* localizedTexts(
  value: unknown,
  path: (string | number)[] = [],
): Generator<{ path: (string | number)[]; text: LocalizedText }> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* localizedTexts(v, [...path, i]);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const entries = Object.entries(value as Record<string, unknown>);
  const isText =
    entries.length > 0 && entries.every(([k, v]) => /^[a-z]{2,3}$/.test(k) && typeof v === 'string');
  // Narration is keyed by language but holds objects, so it is never mistaken for text.
  if (isText) {
    yield { path, text: value as LocalizedText };
    return;
  }
  for (const [k, v] of entries) {
    // The interface section is keyed by language but holds tables of strings, not one text.
    if (path.length === 0 && k === 'interface') continue;
    yield* localizedTexts(v, [...path, k]);
  }
}

/**
 * Gives every localized text in `exhibit` a text in each of its languages,
 * copying the first language's where one is missing (or, failing that, the
 * first language the text has). Done once when a version is loaded, so the
 * kiosk serves whole texts and the page never needs a fallback rule.
 */
export function fillMissingLanguages(exhibit: Exhibit): void {
  const languages = exhibit.settings.languages;
  for (const { text } of localizedTexts(exhibit)) {
    const shown = languages.map((l) => text[l]).find((v) => v !== undefined) ?? Object.values(text)[0];
    if (shown === undefined) continue;
    for (const lang of languages) text[lang] ??= shown;
  }
}

/**
 * A whole exhibit. Beyond the field shapes it checks what only the whole can
 * tell: unique ids and links that resolve.
 */
export const Exhibit = ExhibitShape.superRefine((ex, ctx) => {
  const langs = ex.settings.languages;
  if (!langs.includes(ex.settings.defaultLanguage)) {
    ctx.addIssue({
      code: 'custom',
      path: ['settings', 'defaultLanguage'],
      message: `default language "${ex.settings.defaultLanguage}" is not in settings.languages (${langs.join(', ')})`,
    });
  }
  const chapterIds = new Set<string>();
  for (const [i, ch] of ex.chapters.entries()) {
    if (chapterIds.has(ch.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['chapters', i, 'id'],
        message: `chapter id "${ch.id}" is used twice`,
      });
    }
    chapterIds.add(ch.id);
  }
  const imageIds = new Set<string>();
  for (const [i, ch] of ex.chapters.entries()) {
    for (const [j, img] of ch.images.entries()) {
      if (imageIds.has(img.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['chapters', i, 'images', j, 'id'],
          message: `image id "${img.id}" is used twice`,
        });
      }
      imageIds.add(img.id);
    }
  }
  const linkCheck = (chapter: string | undefined, path: (string | number)[]) => {
    if (chapter !== undefined && !chapterIds.has(chapter)) {
      ctx.addIssue({ code: 'custom', path, message: `no chapter has the id "${chapter}"` });
    }
  };
  ex.timeline.forEach((t, i) => linkCheck(t.chapter, ['timeline', i, 'chapter']));
  ex.figures.forEach((f, i) => linkCheck(f.chapter, ['figures', i, 'chapter']));
  ex.map?.places.forEach((p, i) => linkCheck(p.chapter, ['map', 'places', i, 'chapter']));
  // A text missing in one language is not refused: the kiosk shows the exhibit's first
  // language there, so a partly translated language can publish (validation warns).
});
export type Exhibit = z.infer<typeof Exhibit>;
