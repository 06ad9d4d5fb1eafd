/**
 * Narration captions: WebVTT parsed by `media-captions` (a maintained, spec-following
 * parser), reduced to the plain cues the caption bar needs.
 */
/** The part of media-captions' API used here. */
interface ParsedCue {
  startTime: number;
  endTime: number;
  text: string;
}
type ParseText = (text: string, options: { type: 'vtt' }) => Promise<{ cues: ParsedCue[] }>;

/**
 * Loaded on first use, so the parser stays out of the kiosk's first screen. The cast names the
 * one function's type: media-captions' declarations use extensionless re-exports, which the
 * NodeNext resolution of the root tsconfig (which also checks tests) cannot follow.
 */
const loadParser = async (): Promise<ParseText> =>
  ((await import('media-captions')) as unknown as { parseText: ParseText }).parseText;

/** One caption: the text shown from `start` (inclusive) to `end` (exclusive), in seconds. */
export interface Caption {
  start: number;
  end: number;
  text: string;
}

/** Raised when a captions file is not WebVTT at all; per-cue mistakes are skipped instead. */
export class CaptionsError extends Error {
  override name = 'CaptionsError';
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
  quot: '"',
  apos: "'",
};

/**
 * The words a cue's payload shows, without WebVTT markup: tags such as `<b>`, `<v Narrator>`
 * and timestamps are dropped and character references decoded. The result is meant to be
 * rendered as text, never as HTML.
 */
export function cueText(payload: string): string {
  return payload
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] === '#') {
        const code =
          ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[ref.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]*\n[ \t]*/g, '\n')
    .trim();
}

/**
 * Parse a WebVTT document into captions ordered by start time.
 *
 * @throws {CaptionsError} when the text lacks the `WEBVTT` signature.
 */
export async function parseCaptions(vtt: string): Promise<Caption[]> {
  const source = vtt.replace(/^\uFEFF/, '');
  if (!/^WEBVTT(?:[ \t\r\n]|$)/.test(source)) {
    throw new CaptionsError('captions must be a WebVTT file that starts with "WEBVTT"');
  }
  const parseText = await loadParser();
  const { cues } = await parseText(source, { type: 'vtt' });
  return cues
    .map((c) => ({ start: c.startTime, end: c.endTime, text: cueText(c.text) }))
    .filter((c) => c.end > c.start && c.text !== '')
    .sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * The caption showing at `time` seconds, or `undefined` between cues. Cues are expected in
 * start order (as {@link parseCaptions} returns them); where cues overlap the later one wins,
 * because it is the sentence just begun.
 */
export function captionAt(captions: readonly Caption[], time: number): Caption | undefined {
  // Binary search for the last cue starting at or before `time`.
  let lo = 0;
  let hi = captions.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (captions[mid]!.start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  for (let i = found; i >= 0; i--) {
    const c = captions[i]!;
    if (time < c.end) return c;
    // An earlier long cue may still be running; cues rarely overlap, so look back only a little.
    if (found - i > 8) break;
  }
  return undefined;
}
