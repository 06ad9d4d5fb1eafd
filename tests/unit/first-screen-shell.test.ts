/**
 * The served page carries the attract screen's masthead, written from what
 * staff typed: no title, however hostile, may open markup or end the app's
 * element, and no text may be read as a replacement pattern on the way in.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExhibitPayload } from '../../main/contract/exhibit.js';
import { INLINE_SCHEDULE_ID, type ScheduleStatus } from '../../main/contract/schedule.js';
import { firstScreenShell } from '../../main/handler/first-screen-shell.js';
import { serveRenderer } from '../../main/handler/static-files.js';
import { readBack } from './html-text.js';

const HOSTILE = `</div><script>alert(1)</script><!-- &amp; $& $1 $' "quoted" 'single'`;

function payload(title: Record<string, string>, name: Record<string, string>, defaultLanguage = 'en') {
  return {
    version: '1',
    problems: [],
    exhibit: { title, source: { name, title: {} }, settings: { defaultLanguage } },
  } as unknown as ExhibitPayload;
}

/** The text a browser would show for an element's content: entities read back, tags none. */
function textOf(html: string): string {
  expect(html).not.toMatch(/[<>]/);
  return readBack(html);
}

describe('firstScreenShell', () => {
  it('shows the source and title in the default language, as written, hidden from screen readers', () => {
    const html = firstScreenShell(
      payload({ en: 'War', ru: HOSTILE }, { en: 'Ministry', ru: '<b>Мин</b>' }, 'ru'),
    );
    const m = html.match(
      /^<div class="first-screen-shell" aria-hidden="true"><div class="masthead"><p class="eyebrow">([^]*?)<\/p><p class="title">([^]*?)<\/p><\/div><\/div>$/,
    );
    expect(m).not.toBeNull();
    expect(textOf(m![1]!)).toBe('<b>Мин</b>');
    expect(textOf(m![2]!)).toBe(HOSTILE);
  });

  it('falls back as the attract screen does when the default language has no text', () => {
    const html = firstScreenShell(payload({ en: 'War' }, { en: 'Ministry' }, 'ru'));
    expect(html).toContain('<p class="title">War</p>');
  });
});

describe('the served index.html', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vitrine-shell-'));
    await writeFile(
      path.join(dir, 'index.html'),
      '<!doctype html><html><head><title>V</title></head><body><div id="app"></div><script type="module" src="./assets/i.js"></script></body></html>',
    );
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const serve = (exhibit?: ExhibitPayload, schedule?: ScheduleStatus) =>
    serveRenderer(new Request('http://127.0.0.1/'), dir, '/', {
      pageKey: 'k',
      exhibit: () => exhibit,
      schedule: () => schedule,
    }).then((r) => r.text());

  /** The inlined opening hours, as the page would parse them. */
  const hoursIn = (page: string): unknown => {
    const m = page.match(
      new RegExp(`<script type="application/json" id="${INLINE_SCHEDULE_ID}">([^<]*)</script>`),
    );
    return m ? JSON.parse(m[1]!) : undefined;
  };

  it('carries the masthead as the only content of the app element, before the script', async () => {
    const page = await serve(payload({ en: HOSTILE }, { en: 'Ministry & Co' }));
    const start = page.indexOf('<div id="app">') + '<div id="app">'.length;
    const shell = firstScreenShell(payload({ en: HOSTILE }, { en: 'Ministry & Co' }));
    expect(page.slice(start, start + shell.length)).toBe(shell);
    expect(page.slice(start + shell.length)).toMatch(/^<\/div><script type="module"/);
    expect(page).toContain('<p class="eyebrow">Ministry &amp; Co</p>');
    // No replacement pattern was expanded: `$&` and `$'` stand as written.
    expect(page).toContain('&lt;!-- &amp;amp; $&amp; $1 $&#39; &quot;quoted&quot;');
  });

  it('carries no masthead when there is no exhibit to draw it from', async () => {
    const page = await serve(undefined);
    expect(page).toContain('<div id="app"></div>');
    expect(page).not.toContain('first-screen-shell');
  });

  it("in closed hours carries no masthead, only the black screen's cue: the hours, closed", async () => {
    const closed: ScheduleStatus = {
      state: 'scheduled-off',
      nextChange: '2026-11-30T09:00:00.000Z',
      nextChangeLocal: '</script><b>09:00</b>',
    };
    const page = await serve(payload({ en: 'War' }, { en: 'Ministry' }), closed);
    expect(page).toContain('<div id="app"></div>');
    expect(page).not.toContain('first-screen-shell');
    // Still the exhibit, for the opening; and what the schedule says stays data.
    expect(page).toContain('id="vitrine-exhibit"');
    expect(hoursIn(page)).toEqual(closed);
    expect(page.match(/<script/gi)).toHaveLength(3);
  });

  it('in opening hours carries the masthead and says it is open', async () => {
    const open: ScheduleStatus = {
      state: 'open',
      nextChange: '2026-11-30T18:00:00.000Z',
      nextChangeLocal: '18:00',
    };
    const page = await serve(payload({ en: 'War' }, { en: 'Ministry' }), open);
    expect(page).toContain('<div id="app"><div class="first-screen-shell"');
    expect(hoursIn(page)).toEqual(open);
  });

  it('says nothing of hours on a kiosk without them', async () => {
    const page = await serve(payload({ en: 'War' }, { en: 'Ministry' }));
    expect(page).toContain('first-screen-shell');
    expect(page).not.toContain(INLINE_SCHEDULE_ID);
  });
});
