import { describe, expect, it } from 'vitest';
import { captionAt, CaptionsError, cueText, parseCaptions } from '../../src/lib/audio/captions.js';

const VTT = `WEBVTT - narration

NOTE made for tests

intro
00:00:00.000 --> 00:00:02.500
On 9 August 1945 the Soviet Union entered the war.

00:00:02.500 --> 00:01:05.250 align:center
<v Narrator>Marshal <b>Vasilevsky</b> took command &amp; the three fronts advanced.</v>

00:01:06.000 --> 00:01:09.000
Квантунская армия капитулировала.
`;

describe('parseCaptions', () => {
  it('reads cues with their times and plain text', async () => {
    const cues = await parseCaptions(VTT);
    expect(cues).toEqual([
      { start: 0, end: 2.5, text: 'On 9 August 1945 the Soviet Union entered the war.' },
      { start: 2.5, end: 65.25, text: 'Marshal Vasilevsky took command & the three fronts advanced.' },
      { start: 66, end: 69, text: 'Квантунская армия капитулировала.' },
    ]);
  });

  it('accepts a byte-order mark and CRLF line ends', async () => {
    const cues = await parseCaptions('\uFEFF' + VTT.replace(/\n/g, '\r\n'));
    expect(cues.map((c) => c.start)).toEqual([0, 2.5, 66]);
  });

  it('refuses text that is not WebVTT', async () => {
    await expect(parseCaptions('1\n00:00:00,000 --> 00:00:01,000\nSRT, not VTT\n')).rejects.toBeInstanceOf(
      CaptionsError,
    );
    await expect(parseCaptions('')).rejects.toBeInstanceOf(CaptionsError);
  });

  it('skips cues that are empty or end before they start, keeping the rest', async () => {
    const cues = await parseCaptions(`WEBVTT

00:00:05.000 --> 00:00:04.000
backwards

00:00:06.000 --> 00:00:07.000
<b></b>

00:00:01.000 --> 00:00:02.000
kept
`);
    expect(cues).toEqual([{ start: 1, end: 2, text: 'kept' }]);
  });

  it('orders cues by start time whatever the file order', async () => {
    const cues = await parseCaptions(`WEBVTT

00:00:03.000 --> 00:00:04.000
second

00:00:01.000 --> 00:00:02.000
first
`);
    expect(cues.map((c) => c.text)).toEqual(['first', 'second']);
  });
});

describe('cueText', () => {
  it('drops markup and decodes references, so captions are shown as text', () => {
    expect(cueText('<c.yellow>a</c> &lt;script&gt; &#1071; &#x44F; &nbsp;b')).toBe('a <script> Я я \u00a0b');
    expect(cueText('line one\n  line two ')).toBe('line one\nline two');
    expect(cueText('&unknown; &#0;')).toBe('&unknown; &#0;');
  });
});

describe('captionAt', () => {
  it('finds the sentence spoken at any moment, and nothing between sentences', async () => {
    const cues = await parseCaptions(VTT);
    expect(captionAt(cues, 0)?.text).toMatch(/^On 9 August/);
    expect(captionAt(cues, 2.499)?.text).toMatch(/^On 9 August/);
    // A cue's end belongs to the next one.
    expect(captionAt(cues, 2.5)?.text).toMatch(/^Marshal/);
    expect(captionAt(cues, 40)?.text).toMatch(/^Marshal/);
    expect(captionAt(cues, 65.5)).toBeUndefined();
    expect(captionAt(cues, 67)?.text).toBe('Квантунская армия капитулировала.');
    expect(captionAt(cues, 69)).toBeUndefined();
    expect(captionAt(cues, -1)).toBeUndefined();
    expect(captionAt([], 1)).toBeUndefined();
  });

  it('prefers the later of two overlapping cues, and still finds a long cue under short ones', () => {
    const cues = [
      { start: 0, end: 100, text: 'long' },
      { start: 10, end: 12, text: 'short' },
    ];
    expect(captionAt(cues, 11)?.text).toBe('short');
    expect(captionAt(cues, 50)?.text).toBe('long');
  });

  it('agrees with a linear scan over a thousand cues', () => {
    const cues = Array.from({ length: 1000 }, (_, i) => ({ start: i * 3, end: i * 3 + 2, text: `cue ${i}` }));
    for (const t of [0, 1.999, 2, 2.5, 1500, 1501.5, 2997, 2999, 3000]) {
      const linear = cues.find((c) => c.start <= t && t < c.end);
      expect(captionAt(cues, t)).toBe(linear);
    }
  });
});
