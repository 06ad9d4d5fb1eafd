import { describe, expect, it } from 'vitest';
import { formatVtt, sentences, vttTime } from '../../main/tools/make-narration.js';
import { parseCaptions } from '../../src/lib/audio/captions.js';

describe('sentences (what the narration speaks as one caption each)', () => {
  it('keeps initials and abbreviations inside their sentence', () => {
    expect(sentences('Marshal A. M. Vasilevsky led it. Then the fronts moved.', 'en')).toEqual([
      'Marshal A. M. Vasilevsky led it.',
      'Then the fronts moved.',
    ]);
    expect(sentences('Командовал маршал А.М. Василевский. Свыше 700 тыс. человек ждали.', 'ru')).toEqual([
      'Командовал маршал А.М. Василевский.',
      'Свыше 700 тыс. человек ждали.',
    ]);
  });

  it('starts a new sentence at a date, but not after "г."', () => {
    expect(sentences('Войска сдавались в плен. 18 августа был отдан приказ.', 'ru')).toEqual([
      'Войска сдавались в плен.',
      '18 августа был отдан приказ.',
    ]);
    expect(sentences('В 1945 г. 2 сентября подписан акт.', 'ru')).toEqual([
      'В 1945 г. 2 сентября подписан акт.',
    ]);
  });

  it('splits a long sentence at its clauses into caption-sized parts, losing no word', () => {
    const long =
      'By the end of 1941, the formations of the Kwantung Army, a Japanese strategic group based in Manchuria near the Soviet border, numbered over 700,000 people, and Japan was ready to invade the Soviet Far East at any moment.';
    const parts = sentences(long, 'en');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(140);
    expect(parts.join(' ')).toBe(long);
  });

  it('splits even a long sentence without commas', () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ') + '.';
    const parts = sentences(long, 'en');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.join(' ')).toBe(long);
  });
});

describe('formatVtt', () => {
  it('writes WebVTT that parses back to the same cues, markup-like text kept literal', async () => {
    const cues = [
      { start: 0, end: 1.5, text: 'Title' },
      { start: 1.5, end: 3723.456, text: 'Fish & chips <not a tag> --> arrow' },
    ];
    const vtt = formatVtt(cues, 'a note --> with an arrow');
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(await parseCaptions(vtt)).toEqual(cues);
  });

  it('writes timestamps as HH:MM:SS.mmm', () => {
    expect(vttTime(0)).toBe('00:00:00.000');
    expect(vttTime(3723.4567)).toBe('01:02:03.457');
    expect(vttTime(59.9996)).toBe('00:01:00.000');
  });
});
