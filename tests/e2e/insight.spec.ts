/**
 * Visit counts end to end, in real Chromium with touch, on the kiosk `npm start`
 * serves (`serveKiosk`, short idle timings): scripted visits by touch (chapters,
 * a language, narration, an access mode, a zoom; walked away or Start over)
 * arrive at the host as hourly sums; a restart and a content update in between
 * lose nothing; the staff panel's Visits page draws them and writes the CSV
 * files into the inbox.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Preview } from '../../main/cli/preview.js';
import { serveKiosk } from '../../main/cli/start.js';
import type { HourDetail, VisitReport } from '../../main/contract/visits.js';
import { verifyContentHistory } from '../../main/insight/content-history.js';
import { parseArgs } from '../../main/kiosk/flags.js';
import { longPress, pinch, tap, tapOn } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const size = { width: 1920, height: 1080 };
const IDLE = 5;
const COUNTDOWN = 3;

interface Fixtures {
  work: string;
  /** Serves the kiosk on the test's folders; call again after closing to restart it. */
  serve: () => Promise<Preview>;
}

const test = base.extend<Fixtures>({
  work: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-insight-e2e-'));
    await cp(path.join(root, 'assets', 'exhibit'), path.join(dir, 'content'), { recursive: true });
    await mkdir(path.join(dir, 'inbox'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  serve: async ({ work }, use) => {
    const open: Preview[] = [];
    await use(async () => {
      const args = parseArgs(
        [
          '--no-open',
          '--port',
          '0',
          '--content',
          path.join(work, 'content'),
          '--inbox',
          path.join(work, 'inbox'),
          '--idle-seconds',
          String(IDLE),
          '--countdown-seconds',
          String(COUNTDOWN),
        ],
        {},
        root,
      );
      if (!args.ok) throw new Error(args.message);
      const kiosk = await serveKiosk(args.options, {
        actions: {},
        defaultPort: 0,
        log: () => {},
        env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
        userData: path.join(work, 'user'),
        tuning: { pollMs: 300, stableMs: 500, confirmMs: 5000 },
        build: false,
      });
      open.push(kiosk);
      return kiosk;
    });
    for (const k of open) await k.close().catch(() => undefined);
  },
});

test.use({ viewport: size, hasTouch: true });

const FIRST_RUN_PIN = '1945';
const STAFF_PIN = '7351';

async function centre(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

const screen = (page: Page) => page.getByTestId('app');

/** Waits for the walked-away visitor's reset: the attract loop is back. */
async function walkAway(page: Page) {
  await expect(page.getByTestId('attract')).toBeVisible({ timeout: (IDLE + COUNTDOWN + 6) * 1000 });
}

/** Leaves the attract loop by touch. */
async function arrive(page: Page) {
  await expect(page.getByTestId('attract')).toBeVisible();
  await tap(page, { x: size.width / 2, y: size.height / 2 });
  await expect(screen(page)).toHaveAttribute('data-screen', 'home');
}

/** The signed-in staff's view of the counts, over the route the panel uses. */
async function report(page: Page): Promise<VisitReport> {
  return page.evaluate(async (pin) => {
    const s = await fetch('/api/staff/session', { method: 'POST', body: JSON.stringify({ pin }) });
    const { token } = (await s.json()) as { token: string };
    const r = await fetch('/api/staff/visits?days=7', { headers: { authorization: `Bearer ${token}` } });
    return (await r.json()) as VisitReport;
  }, STAFF_PIN);
}

/** The sum of the detail of every hour of `r` that has detail, and the visits in all. */
function totals(r: VisitReport): { visits: number; detail: HourDetail | undefined } {
  const visits = r.hours.reduce((s, h) => s + h.visits, 0);
  const withDetail = r.hours.filter((h) => h.detail);
  return { visits, detail: withDetail.length === 1 ? withDetail[0]!.detail : undefined };
}

/** The first sign-in: the first-run PIN only sets the staff PIN, then the panel opens. */
async function signInFirstTime(page: Page, width = size.width) {
  await longPress(page, { x: 40, y: 40 }, 3300);
  await tap(page, { x: width - 40, y: 40 });
  await expect(page.getByTestId('staff-pin')).toBeVisible();
  for (const d of FIRST_RUN_PIN) await tap(page, await centre(page, `pin-${d}`));
  await tap(page, await centre(page, 'pin-enter'));
  await expect(page.getByTestId('staff-first-run')).toBeVisible();
  for (const pin of [FIRST_RUN_PIN, STAFF_PIN, STAFF_PIN]) {
    for (const d of pin) await tap(page, await centre(page, `staff-key-${d}`));
    await tap(page, await centre(page, 'staff-key-next'));
  }
  await expect(page.getByTestId('staff-first-run')).toHaveCount(0);
}

test('visits by touch reach the curator as hourly sums that survive a restart and a content update', async ({
  page,
  serve,
  work,
}) => {
  test.setTimeout(240_000);
  // All visits of this test must fall into one hour, or the hour's detail is (rightly) split.
  const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
  if (toNextHour < 150_000) await page.waitForTimeout(toNextHour + 2000);

  let kiosk = await serve();
  await page.goto(kiosk.url);

  // The staff PIN is set once; it is also how the test reads the counts.
  await expect(page.getByTestId('attract')).toBeVisible();
  await signInFirstTime(page);
  await tap(page, await centre(page, 'staff-lock'));
  // Signing in woke the kiosk, but staff at work are nobody's visit: it ends uncounted.
  await walkAway(page);
  const before = 0;
  await expect.poll(async () => totals(await report(page)).visits).toBe(before);

  // Visit 1: a chapter with pictures, one zoomed; Russian; Listen; the next chapter; walks away.
  await arrive(page);
  await tapOn(page, '[data-testid=chapter-card] >> nth=4');
  await expect(screen(page)).toHaveAttribute('data-screen', 'chapter');
  await tapOn(page, '[data-testid=chapter-image]');
  await expect(page.getByTestId('viewer')).toBeVisible();
  await pinch(page, await centre(page, 'viewer-image'), 120, 420);
  await expect
    .poll(() =>
      page
        .getByTestId('viewer-image')
        .evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a),
    )
    .toBeGreaterThan(1.5);
  await tapOn(page, '[data-testid=viewer-close]');
  await tapOn(page, 'button[data-lang=ru]');
  await expect(screen(page)).toHaveAttribute('data-lang', 'ru');
  await tapOn(page, '[data-testid=listen]');
  await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
  // The narration holds off the countdown while it plays; the visitor goes on to the next chapter.
  await tapOn(page, '[data-testid=next]');
  await expect(page.getByTestId('position')).toHaveText('6');
  await walkAway(page);

  // Visit 2: the map, then the third chapter with large text; walks away.
  await arrive(page);
  await tapOn(page, '[data-testid=extra-map]');
  await expect(screen(page)).toHaveAttribute('data-screen', 'map');
  await tapOn(page, '[data-testid=home-button]');
  await tapOn(page, '[data-testid=chapter-card] >> nth=2');
  await expect(screen(page)).toHaveAttribute('data-screen', 'chapter');
  await tapOn(page, '[data-testid=access-button]');
  await tapOn(page, '[data-testid=access-toggle-largeText]');
  await tapOn(page, '[data-testid=access-close]');
  await walkAway(page);

  // Visit 3: the first chapter, then "Start over" on the countdown.
  await arrive(page);
  await tapOn(page, '[data-testid=chapter-card] >> nth=0');
  await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: (IDLE + 3) * 1000 });
  await tapOn(page, '[data-testid=idle-restart]');
  await expect(page.getByTestId('attract')).toBeVisible();

  const expected = (r: VisitReport, visits: number) => {
    const t = totals(r);
    expect(t.visits).toBe(before + visits);
    const d = t.detail!;
    expect(d, 'the hour has 3 or more visits, so its detail shows').toBeDefined();
    expect(d.chapters['entry-into-war']?.opened).toBe(visits === 3 ? 1 : 2);
    expect(d.chapters['allied-pledges']?.opened).toBe(1);
    expect(d.chapters['the-plan']?.opened).toBe(1);
    expect(d.chapters['threat-in-the-east']?.opened).toBe(1);
    expect(d.chapters['neutrality-violated']).toBeUndefined();
    // Furthest chapters: the-plan (index 5), threat-in-the-east (2), entry-into-war (0) once or twice.
    expect(d.furthest).toEqual([visits === 3 ? 1 : 2, 0, 1, 0, 0, 1]);
    expect(d.langs.ru).toBe(1);
    expect(d.extras.map).toBe(1);
    expect(d.access.largeText).toBe(1);
    expect(d.narration.started).toBe(1);
    expect(d.zooms).toBe(1);
    expect(d.ended['start-over']).toBe(1);
  };
  await expect.poll(async () => totals(await report(page)).visits).toBe(before + 3);
  expected(await report(page), 3);

  // A content update: the curator's folder gets a new version; the kiosk takes it on the attract loop.
  const yaml = path.join(work, 'content', 'exhibit.yaml');
  await writeFile(yaml, (await readFile(yaml, 'utf8')).replace("version: '1'", "version: '1.1'"));
  await expect
    .poll(
      async () =>
        (await readFile(path.join(work, 'user', 'insight', 'content-history.jsonl'), 'utf8'))
          .trim()
          .split('\n').length,
      {
        timeout: 20_000,
      },
    )
    .toBe(2);

  // A restart on the same user data.
  await kiosk.close();
  kiosk = await serve();
  await page.goto(kiosk.url);
  expected(await report(page), 3);

  // One more visit after the restart is added to the same hour.
  await arrive(page);
  await tapOn(page, '[data-testid=chapter-card] >> nth=0');
  await walkAway(page);
  await expect.poll(async () => totals(await report(page)).visits).toBe(before + 4);
  expected(await report(page), 4);
  expect(await verifyContentHistory(path.join(work, 'user', 'insight'))).toEqual({ ok: true, entries: 2 });

  // The Visits page in the staff panel.
  await longPress(page, { x: 40, y: 40 }, 3300);
  await tap(page, { x: size.width - 40, y: 40 });
  for (const d of STAFF_PIN) await tap(page, await centre(page, `pin-${d}`));
  await tap(page, await centre(page, 'pin-enter'));
  await tapOn(page, '[data-testid=staff-visits]');
  const visitsPage = page.getByTestId('visits-page');
  await expect(visitsPage).toBeVisible();
  await expect(page.getByTestId('visits-total')).toHaveText(String(before + 4));
  // Every scripted visit is under a minute: the average reads in seconds, not "0.0 min".
  await expect(page.getByTestId('visits-average')).toHaveText(/^[1-5]?\d s$/);
  for (const [chart, series] of [
    ['chart-per-day', 1],
    ['chart-dwell', 1],
    ['chart-funnel', 2],
  ] as const) {
    const el = page.getByTestId(chart);
    await expect(el.locator('canvas')).toHaveCount(1);
    await expect(el).toHaveAttribute('data-series', String(series));
  }
  // The funnel's legend names both series.
  await expect(page.locator('[data-testid=chart-funnel] .u-legend .u-series')).toHaveCount(2);
  await expect(page.locator('[data-testid=visits-funnel] li[data-id=entry-into-war]')).toHaveAttribute(
    'data-opened',
    '2',
  );
  await expect(page.locator('[data-testid=visits-langs] li[data-key=ru]')).toHaveAttribute('data-n', '1');
  await expect(page.locator('[data-testid=visits-access] li[data-key=largeText]')).toHaveAttribute(
    'data-n',
    '1',
  );
  await page.screenshot({ path: test.info().outputPath('visits-landscape.png') });
  await page.getByTestId('chart-funnel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('visits-landscape-charts.png') });

  // Export into the inbox: one CSV per table and the content history, and the page says where.
  await page.getByTestId('visits-export-inbox').scrollIntoViewIfNeeded();
  await tapOn(page, '[data-testid=visits-export-inbox]');
  await expect(page.getByTestId('visits-export-note')).toContainText(path.join(work, 'inbox'));
  const [folder] = (await readdir(path.join(work, 'inbox'))).filter((n) => n.startsWith('vitrine-visits-'));
  expect(folder).toBeDefined();
  const out = path.join(work, 'inbox', folder!);
  expect((await readdir(out)).sort()).toEqual(
    [
      'access-modes.csv',
      'chapters.csv',
      'content-history.csv',
      'dwell.csv',
      'extras.csv',
      'languages.csv',
      'summary.csv',
      'visits-per-day.csv',
      'visits-per-hour-of-week.csv',
    ].sort(),
  );
  const chapters = await readFile(path.join(out, 'chapters.csv'), 'utf8');
  expect(chapters).toMatch(/^1,entry-into-war,[^\r\n]*,2,4,100,/m);
  const history = (await readFile(path.join(out, 'content-history.csv'), 'utf8')).trim().split('\r\n');
  expect(history).toHaveLength(3);
  expect(history[2]).toMatch(/,now,.*,1\.1,/);

  // Portrait, as a kiosk turned on its side.
  await page.setViewportSize({ width: 1080, height: 1920 });
  await expect(page.getByTestId('chart-funnel').locator('canvas')).toHaveCount(1);
  await page.getByTestId('visits-page').evaluate((el) => el.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: test.info().outputPath('visits-portrait.png') });
  await page.getByTestId('visits-page').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.screenshot({ path: test.info().outputPath('visits-portrait-end.png') });
});
