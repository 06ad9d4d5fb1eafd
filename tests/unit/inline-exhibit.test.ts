/**
 * The page the host serves carries the exhibit, so the first screen is drawn
 * from it without a second request. What staff wrote goes into that page as
 * data: no caption, however hostile, may end the data or open markup.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INLINE_EXHIBIT_ID } from '../../main/contract/exhibit.js';
import { assembleKiosk, type KioskAssembly } from '../../main/kiosk/assemble.js';
import { INLINE_SCHEDULE_ID } from '../../main/contract/schedule.js';
import { inlineExhibit, inlineSchedule } from '../../src/lib/api.js';
import { cleanup, exhibitYaml, makeContent, tempDir } from './content-fixtures.js';

const HOSTILE = '</script><script>alert(1)</script><!-- $& $1 \u2028 <SCRIPT>';

let work: string;
let kiosk: KioskAssembly;

async function start(yaml: string): Promise<void> {
  const content = await makeContent(path.join(work, 'content'));
  await writeFile(path.join(content, 'exhibit.yaml'), yaml);
  const renderer = path.join(work, 'renderer');
  await mkdir(renderer);
  await writeFile(
    path.join(renderer, 'index.html'),
    '<!doctype html><html><head><title>V</title><script type="module" src="./assets/index.js"></script></head><body><div id="app"></div></body></html>',
  );
  kiosk = await assembleKiosk({
    contentDir: content,
    rendererDir: renderer,
    live: { userData: path.join(work, 'user'), env: {}, seedOnly: false, tuning: { pollMs: 0, stableMs: 0 } },
    log: () => {},
  });
}

const get = (p: string, method = 'GET') => kiosk.handler(new Request(`http://127.0.0.1${p}`, { method }));

/** The text of the inline element, as an HTML parser would end it: at the first `</script`. */
function inlineText(html: string): string | undefined {
  const open = `<script type="application/json" id="${INLINE_EXHIBIT_ID}">`;
  const at = html.indexOf(open);
  if (at < 0) return undefined;
  const from = at + open.length;
  return html.slice(from, html.toLowerCase().indexOf('</script', from));
}

beforeEach(async () => {
  work = await tempDir('vitrine-inline-');
});
afterEach(async () => {
  kiosk?.close();
  await cleanup(work);
});

describe('the exhibit inlined in the served page', () => {
  it('is the same payload /api/exhibit answers, and a hostile caption stays data', async () => {
    await start(exhibitYaml({ caption: JSON.stringify(HOSTILE) }));
    const html = await (await get('/')).text();
    const text = inlineText(html);
    expect(text).toBeDefined();
    // Only the bundle's script and the data elements (exhibit, opening hours): the caption opened no
    // element of its own.
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html).not.toContain('<!--');
    const inline = JSON.parse(text!);
    const api = await (await get('/api/exhibit')).json();
    expect(inline).toEqual(api);
    expect(inline.exhibit.chapters[0].images[0].caption.en).toBe(HOSTILE);
  });

  it('is left out when there has never been valid content, and the page is still served', async () => {
    await start('title: [not, an, exhibit');
    const res = await get('/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    expect(inlineText(html)).toBeUndefined();
    expect((await get('/api/exhibit')).status).toBe(503);
  });

  it('is not built for a HEAD request', async () => {
    await start(exhibitYaml());
    const res = await get('/', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });
});

/** Just enough of a document for {@link inlineExhibit} (or, given its id, {@link inlineSchedule}). */
function pageWith(text: string | undefined, elementId = INLINE_EXHIBIT_ID) {
  let present = text !== undefined;
  const el = { textContent: text ?? '', remove: () => void (present = false) };
  return {
    doc: { getElementById: (id: string) => (present && id === elementId ? el : null) } as never,
    present: () => present,
  };
}

describe('the page reading its inlined exhibit', () => {
  it('takes it, and takes it out of the page so it is not kept twice', async () => {
    await start(exhibitYaml({ caption: JSON.stringify(HOSTILE) }));
    const page = pageWith(inlineText(await (await get('/')).text()));
    const result = inlineExhibit(page.doc);
    expect(result?.ok).toBe(true);
    expect(result?.ok && result.value.exhibit.chapters[0]!.images[0]!.caption.en).toBe(HOSTILE);
    expect(result?.ok && result.value.host.staff).toBe(true);
    expect(page.present()).toBe(false);
  });

  it('without one: nothing, so the page asks /api/exhibit', () => {
    expect(inlineExhibit(pageWith(undefined).doc)).toBeUndefined();
  });

  it.each([
    ['truncated', '{"version":"1","exhibit":{"title"', /not JSON/],
    ['not an exhibit', '{"version":"1","exhibit":{}}', /the page sent an exhibit without settings/],
  ])('%s: a reason for the log, so the page fetches instead', (_name, text, reason) => {
    const result = inlineExhibit(pageWith(text).doc);
    expect(result?.ok).toBe(false);
    expect(!result?.ok && result?.reason).toMatch(reason);
  });
});

describe('the page reading its inlined opening hours', () => {
  it('takes them, and takes them out of the page', () => {
    const page = pageWith(
      '{"state":"scheduled-off","nextChange":"2026-11-30T09:00:00.000Z","nextChangeLocal":"09:00"}',
      INLINE_SCHEDULE_ID,
    );
    expect(inlineSchedule(page.doc)).toEqual({
      state: 'scheduled-off',
      nextChange: '2026-11-30T09:00:00.000Z',
      nextChangeLocal: '09:00',
    });
    expect(page.present()).toBe(false);
  });

  it.each([
    ['absent', undefined],
    ['truncated', '{"state":"sched'],
    ['an unknown state', '{"state":"closed-forever"}'],
    ['not an object', '"scheduled-off"'],
  ])('%s: nothing, and the event stream says them a moment later', (_name, text) => {
    expect(inlineSchedule(pageWith(text, INLINE_SCHEDULE_ID).doc)).toBeUndefined();
  });

  it('keeps only the fields it knows, as text', () => {
    const page = pageWith('{"state":"open","nextChangeLocal":18,"extra":"<b>x</b>"}', INLINE_SCHEDULE_ID);
    expect(inlineSchedule(page.doc)).toEqual({ state: 'open' });
  });
});
