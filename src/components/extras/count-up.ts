/**
 * Count-up for display strings like "over 1.6 million", "32–59" or
 * "более 5 250": every number in the text rises from zero while the words
 * stay put, written with the same separators as the original.
 */

/** A number found in a display string, with how it was written. */
interface NumberToken {
  start: number;
  end: number;
  value: number;
  decimals: number;
  /** Thousands separator as written (",", " ", "\u00a0", "\u202f") or "" if none. */
  group: string;
  /** Decimal mark as written ("." or ","). */
  mark: string;
}

// A digit run with optional 3-digit groups and an optional decimal part.
const NUMBER = /\d{1,3}(?:([,\u00a0\u202f ])\d{3}(?!\d))+(?:([.,])\d+)?|\d+(?:([.,])\d+)?/g;

/** Finds the numbers in `text`: "5,250" is five thousand, "1,6" one point six. */
export function findNumbers(text: string): NumberToken[] {
  const out: NumberToken[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const raw = m[0];
    const group = m[1] ?? '';
    const mark = m[2] ?? m[3];
    let intPart = raw;
    let frac = '';
    if (mark) {
      const i = raw.lastIndexOf(mark);
      intPart = raw.slice(0, i);
      frac = raw.slice(i + 1);
    }
    if (group) intPart = intPart.split(group).join('');
    out.push({
      start: m.index,
      end: m.index + raw.length,
      value: Number(`${intPart}.${frac || 0}`),
      decimals: frac.length,
      group,
      mark: mark ?? '.',
    });
  }
  return out;
}

function format(value: number, t: NumberToken): string {
  const fixed = value.toFixed(t.decimals);
  const [int = '0', frac] = fixed.split('.');
  const grouped = t.group ? int.replace(/\B(?=(\d{3})+(?!\d))/g, t.group) : int;
  return frac ? `${grouped}${t.mark}${frac}` : grouped;
}

/**
 * `text` with every number scaled by `progress` (0..1); at 1 it is `text`
 * exactly. Each number keeps its decimals and separators.
 */
export function countUpText(text: string, progress: number): string {
  if (progress >= 1) return text;
  const p = Math.max(0, progress);
  let out = '';
  let at = 0;
  for (const t of findNumbers(text)) {
    out += text.slice(at, t.start) + format(t.value * p, t);
    at = t.end;
  }
  return out + text.slice(at);
}

/** Ease-out cubic: quick at first, settling gently on the final figure. */
export const easeOut = (t: number): number => 1 - (1 - Math.min(1, Math.max(0, t))) ** 3;

/**
 * Whether motion should be skipped: the visitor's system asks for reduced
 * motion, or the kiosk's access setting put `.reduced-motion` on `<html>`.
 */
export function motionReduced(doc: Document = document): boolean {
  return (
    doc.documentElement.classList.contains('reduced-motion') ||
    (doc.defaultView?.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false)
  );
}

/** `text` cut into runs of numbers and of words, so numbers can be set larger than their qualifiers. */
export function segments(text: string): { text: string; number: boolean }[] {
  const out: { text: string; number: boolean }[] = [];
  let at = 0;
  for (const t of findNumbers(text)) {
    if (t.start > at) out.push({ text: text.slice(at, t.start), number: false });
    out.push({ text: text.slice(t.start, t.end), number: true });
    at = t.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), number: false });
  return out;
}
