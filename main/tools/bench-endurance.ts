/**
 * `npm run bench:endurance [-- --quick] [-- --out FILE]`: a kiosk's months of
 * use, accelerated. With the scan exhibit of `bench-scans.ts`, short attract,
 * idle and countdown timings (in-process settings overrides: what staff may set
 * is unchanged), it first takes a scripted tour that uses every screen and
 * overlay once ({@link TOUR}), then runs visit after visit: real CDP taps lead to a screen
 * (home, a chapter, the viewer, every extra screen in turn), gremlins.js
 * touches and clicks at random there (never in the staff corners), then the
 * visitor leaves and the kiosk must reset to the attract loop by itself, where
 * the loop turns some slides before the next visit.
 *
 * At checkpoints, after forced GC, it reads the JS heap, DOM nodes and event
 * listeners (CDP `Memory.getDOMCounters`) and live Howls (`Howler._howls`,
 * the global howler.js itself keeps), and at the end requires them back at the
 * level after the tour and the first visits; it requires no console errors and an attract
 * screen after every idle reset. Last, every picture is opened in the viewer
 * at full zoom while the renderer's memory is sampled. The results replace the
 * endurance section of docs/BENCHMARKS.md.
 */
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { findSystemBrowser } from '../cli/find-browser.js';
import { startPreview } from '../cli/preview.js';
import { ENDURANCE_HEADING } from './bench.js';
import { makeScanExhibit, SCAN_SIZE } from './bench-scans.js';
import { builtRendererDir } from '../kiosk/paths.js';
import type { Exhibit } from '../content/schema.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Size of the staff gesture's corner squares (`src/lib/staff/gesture.ts`), plus a margin. */
const STAFF_CORNER_PX = 140 + 20;

/** Accelerated timings, below what staff may set, so a thousand slide changes fit in minutes. */
const TIMING = { attractSeconds: 0.3, idleSeconds: 3, countdownSeconds: 1 } as const;

/** How much may be left over at the end compared with the level after the first visits. */
export const LIMITS = {
  heapBytes: 1024 * 1024,
  /** DOM nodes and listeners: the same screen, give or take a few percent. */
  countShare: 0.05,
  peakRendererBytes: 150 * 1024 * 1024,
} as const;

/** The run's size: the real one, or a smoke test. */
export interface EndurancePlan {
  quick: boolean;
  visits: number;
  touchesPerVisit: number;
  /** Attract slide changes to wait for between visits. */
  slidesBetween: number;
  /** Visits before the baseline is taken. */
  warmup: number;
  checkpointEvery: number;
}

/** 100 visits of 100 touches and 10 slide changes each: 10,000 touches, 1,000 slide changes. */
export function endurancePlan(quick: boolean): EndurancePlan {
  return quick
    ? { quick, visits: 8, touchesPerVisit: 20, slidesBetween: 3, warmup: 7, checkpointEvery: 4 }
    : { quick, visits: 100, touchesPerVisit: 100, slidesBetween: 10, warmup: 7, checkpointEvery: 10 };
}

/**
 * The longest narration in `exhibit`, in ms, from the end of its last caption:
 * narration holds the idle timer (a visitor listening does not touch), so a
 * visitor who walks away mid-narration is let go only when it ends.
 */
export function longestNarrationMs(exhibit: Exhibit, dir: string): number {
  let longest = 0;
  for (const chapter of exhibit.chapters) {
    for (const n of Object.values(chapter.narration ?? {})) {
      let vtt = '';
      try {
        vtt = readFileSync(path.join(dir, n.captions), 'utf8');
      } catch {
        continue;
      }
      for (const m of vtt.matchAll(/-->\s*(?:(\d+):)?(\d+):(\d+)\.(\d+)/g)) {
        const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]);
        longest = Math.max(longest, ms);
      }
    }
  }
  return longest;
}

/** What a checkpoint reads, after forced GC, on the attract screen. */
export interface Counters {
  visit: number;
  heap: number;
  nodes: number;
  listeners: number;
  howls: number;
}

/** Whether `end` is back at `base`'s level within {@link LIMITS}. */
export function backAtLevel(base: Counters, end: Counters): { ok: boolean; why: string[] } {
  const why: string[] = [];
  if (end.heap - base.heap > LIMITS.heapBytes)
    why.push(`heap grew ${((end.heap - base.heap) / 1024).toFixed(0)} kB`);
  for (const k of ['nodes', 'listeners'] as const) {
    if (end[k] > base[k] * (1 + LIMITS.countShare) + 5) why.push(`${k} ${base[k]} -> ${end[k]}`);
  }
  if (end.howls > Math.max(0, base.howls)) why.push(`live Howls ${base.howls} -> ${end.howls}`);
  return { ok: why.length === 0, why };
}

async function tap(cdp: CDPSession, [x, y]: [number, number]): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

async function centre(page: Page, selector: string): Promise<[number, number]> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`endurance: ${selector} is not on screen`);
  return [box.x + box.width / 2, box.y + box.height / 2];
}

async function tapOn(page: Page, cdp: CDPSession, selector: string): Promise<void> {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  await tap(cdp, await centre(page, selector));
}

async function counters(page: Page, cdp: CDPSession, visit: number): Promise<Counters> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  // -1: howler.js has not loaded yet (no screen with sound opened), so no Howl can be alive.
  const howls = (await page.evaluate('window.Howler ? window.Howler._howls.length : -1')) as number;
  return { visit, heap: usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, howls };
}

/** The screens a visit is led to before the random touches, in turn. */
const ROUTES = ['home', 'chapter', 'viewer', 'timeline', 'numbers', 'map', 'credits'] as const;

/** Leads a fresh visit from the attract loop to `route` with real taps. */
async function goTo(page: Page, cdp: CDPSession, route: (typeof ROUTES)[number], visit: number) {
  await tap(cdp, [960, 540]);
  await page.locator('[data-testid="home"]').waitFor({ timeout: 5000 });
  if (route === 'home') return;
  if (route === 'chapter' || route === 'viewer') {
    const cards = await page.locator('[data-testid="chapter-card"]').count();
    await tapOn(page, cdp, `[data-testid="chapter-card"] >> nth=${visit % cards}`);
    await page.locator('[data-testid="chapter"]').first().waitFor({ timeout: 5000 });
    if (route === 'viewer' && (await page.locator('[data-testid="chapter-image"]').count())) {
      await tapOn(page, cdp, '[data-testid="chapter-image"]');
      await page.locator('[data-testid="viewer"]').waitFor({ timeout: 5000 });
    }
    return;
  }
  await tapOn(page, cdp, `[data-testid="extra-${route}"]`);
  await page.locator(`section[data-screen="${route}"]`).waitFor({ timeout: 5000 });
}

/**
 * What the scripted tour opens, in order, before the first random visit: every
 * screen and overlay a visitor can reach, each kind once. The renderer builds
 * some structures the first time a screen is used (the lazily loaded screen's
 * code and styles, the parsed template each component clones its elements
 * from) and keeps them for the life of the page, so the level after the first
 * visits means something only once all of them exist.
 */
export const TOUR = [
  'home',
  'every chapter from its card, each of its thumbnails, and a page turned forward and back',
  'the viewer on every picture shown first, with both arrows where a chapter has several',
  'every narration with its captions, muted and unmuted',
  'every extra screen, with what it opens (a chapter, the map’s place card, zoomed and reset)',
  'every language',
  'the access panel with every mode on, then reset',
  'the audio guide: reading the screen aloud and its text',
  'the idle countdown: kept, left to run out, and start over',
] as const;

/**
 * The visitor's lazily loaded components the page never fetched: of the
 * renderer's chunks (`chunks`, file names in its assets), each named after a
 * component (`components`, `.svelte` paths under `src/components`) outside the
 * staff area is one a visitor can open; `fetched` are the URLs the page asked
 * for. After the tour this must be empty: a screen added later and not
 * toured would otherwise make its first use look like growth.
 */
export function unopenedComponents(chunks: string[], fetched: string[], components: string[]): string[] {
  const visitor = new Set(
    components.filter((c) => !c.split(/[\\/]/).includes('staff')).map((c) => path.basename(c, '.svelte')),
  );
  const got = new Set(fetched.map((u) => u.split(/[?#]/)[0]!.split('/').pop()!));
  return chunks
    .filter((f) => f.endsWith('.js') && visitor.has(f.replace(/-[\w-]{8}\.js$/, '')))
    .filter((f) => !got.has(f))
    .map((f) => f.replace(/-[\w-]{8}\.js$/, ''))
    .sort();
}

/** Every `.svelte` file under `dir`, as paths relative to it. */
function svelteFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.svelte'));
}

/**
 * Takes the scripted tour ({@link TOUR}) with real taps, from the attract loop
 * back to it. Returns the steps it could not take (a selector no longer found,
 * a screen that did not open): the baseline is meaningless without them.
 */
export async function tour(page: Page, cdp: CDPSession, exhibit: Exhibit, idleMs: number): Promise<string[]> {
  const missed: string[] = [];
  const shown = (selector: string, timeout = 5000) => page.locator(selector).first().waitFor({ timeout });
  const has = async (selector: string) => (await page.locator(selector).count()) > 0;
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      missed.push(`tour, ${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  };
  const home = async () => {
    if (await has('[data-testid="attract"]')) await tap(cdp, [960, 540]);
    else if (!(await has('[data-testid="home"]'))) await tapOn(page, cdp, '[data-testid="home-button"]');
    await shown('[data-testid="home"]');
  };
  // Lets a page slide, a screen's entrance or a lazily loaded part settle, well inside the idle timeout.
  const settle = () => page.waitForTimeout(400);

  await step('home', home);
  for (let ci = 0; ci < exhibit.chapters.length; ci++) {
    await step(`chapter ${ci + 1}`, async () => {
      await home();
      await tapOn(page, cdp, `[data-testid="chapter-card"] >> nth=${ci}`);
      await shown('[data-testid="chapter"]');
      await settle();
      const thumbs = await page.locator('[data-testid="chapter"] .thumb').count();
      for (let i = 1; i < thumbs; i++) await tapOn(page, cdp, `[data-testid="chapter"] .thumb >> nth=${i}`);
      if (await has('[data-testid="chapter-image"]')) {
        await tapOn(page, cdp, '[data-testid="chapter-image"]');
        await shown('[data-testid="viewer-image"]');
        if (await has('[data-testid="viewer"] .next:not([disabled])')) {
          await tapOn(page, cdp, '[data-testid="viewer"] .next');
          await settle();
          await tapOn(page, cdp, '[data-testid="viewer"] .prev');
        }
        await tapOn(page, cdp, '[data-testid="viewer-close"]');
        await page.locator('[data-testid="viewer"]').waitFor({ state: 'detached', timeout: 5000 });
      }
      await shown('[data-testid="audio-dock"]');
      if (await has('[data-testid="listen"]')) {
        await tapOn(page, cdp, '[data-testid="listen"]');
        await shown('[data-testid="caption-bar"]');
        await tapOn(page, cdp, '[data-testid="mute-toggle"]');
        await settle();
        await tapOn(page, cdp, '[data-testid="mute-toggle"]');
        await tapOn(page, cdp, '[data-testid="listen"]');
      }
      if (ci === 0 && exhibit.chapters.length > 1) {
        await tapOn(page, cdp, '[data-testid="next"]');
        await page.locator('[data-testid="position"]').filter({ hasText: '2' }).waitFor({ timeout: 5000 });
        await settle();
        await tapOn(page, cdp, '[data-testid="prev"]');
        await page.locator('[data-testid="position"]').filter({ hasText: '1' }).waitFor({ timeout: 5000 });
        await settle();
      }
    });
  }
  await step('extra screens', home);
  const extras = (
    await page
      .locator('[data-testid^="extra-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('extra-'.length)))
  ).filter(Boolean);
  if (!extras.length) missed.push('tour, extra screens: none on the home screen');
  for (const extra of extras) {
    await step(extra, async () => {
      await home();
      await tapOn(page, cdp, `[data-testid="extra-${extra}"]`);
      const screen = `section[data-screen="${extra}"]`;
      await shown(screen);
      await settle();
      if (await has(`${screen} [data-place-button]`)) {
        // The map: zoomed in and reset, then a place's card, which opens its chapter.
        await tapOn(page, cdp, `${screen} .controls .round`);
        await settle();
        await tapOn(page, cdp, '[data-testid="map-reset"]');
        await tapOn(page, cdp, `${screen} [data-place-button]`);
        await shown(`${screen} .popover`);
        await tapOn(page, cdp, `${screen} .popover .close`);
        await page.locator(`${screen} .popover`).waitFor({ state: 'detached', timeout: 5000 });
        const opens = page.locator(`${screen} [data-place-button]`);
        for (let i = 0, n = await opens.count(); i < n; i++) {
          await tapOn(page, cdp, `${screen} [data-place-button] >> nth=${i}`);
          await shown(`${screen} .popover`);
          if (await has(`${screen} .popover .open`)) break;
        }
        await tapOn(page, cdp, `${screen} .popover .open`);
      } else {
        // The timeline, the numbers and the credits each lead to a chapter.
        await tapOn(page, cdp, `${screen} li button`);
      }
      await shown('[data-testid="chapter"]');
      await settle();
    });
  }
  await step('languages', async () => {
    await home();
    const codes = await page
      .locator('[data-testid="lang-switch"] button')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-lang')!));
    for (const code of [...codes.slice(1), codes[0]!]) {
      await tapOn(page, cdp, `[data-testid="lang-switch"] button[data-lang="${code}"]`);
      await page.locator(`[data-testid="app"][data-lang="${code}"]`).waitFor({ timeout: 5000 });
      await settle();
    }
  });
  await step('access panel and audio guide', async () => {
    await home();
    await tapOn(page, cdp, '[data-testid="access-button"]');
    await shown('[data-testid="access-panel"]');
    const modes = await page
      .locator('[data-testid^="access-toggle-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
    for (const mode of modes) {
      await tapOn(page, cdp, `[data-testid="${mode}"]`);
      await page.locator(`[data-testid="${mode}"][aria-checked="true"]`).waitFor({ timeout: 5000 });
    }
    await tapOn(page, cdp, '[data-testid="access-close"]');
    await page.locator('[data-testid="access-panel"]').waitFor({ state: 'detached', timeout: 5000 });
    await tapOn(page, cdp, '[data-testid="guide-read"]');
    await shown('[data-testid="guide-spoken"]');
    await settle();
    if (await has('[data-testid="guide-close"]')) await tapOn(page, cdp, '[data-testid="guide-close"]');
    await tapOn(page, cdp, '[data-testid="access-button"]');
    await shown('[data-testid="access-panel"]');
    await tapOn(page, cdp, '[data-testid="access-reset"]');
    await page
      .locator('[data-testid^="access-toggle-"][aria-checked="true"]')
      .waitFor({ state: 'detached', timeout: 5000 });
    // Back to standard closes the panel itself; close it if it did not.
    if (await has('[data-testid="access-close"]')) await tapOn(page, cdp, '[data-testid="access-close"]');
    await page.locator('[data-testid="access-panel"]').waitFor({ state: 'detached', timeout: 5000 });
  });
  await step('idle countdown', async () => {
    await home();
    await shown('[data-testid="idle-overlay"]', idleMs + 5000);
    await tapOn(page, cdp, '[data-testid="idle-keep"]');
    await page.locator('[data-testid="idle-overlay"]').waitFor({ state: 'detached', timeout: 5000 });
    await shown('[data-testid="idle-overlay"]', idleMs + 5000);
    await shown('[data-testid="attract"]', idleMs + 5000);
    await home();
    await shown('[data-testid="idle-overlay"]', idleMs + 5000);
    await tapOn(page, cdp, '[data-testid="idle-restart"]');
    await shown('[data-testid="attract"]');
  });
  return missed;
}

/**
 * Unleashes `nb` gremlins: touch (tap, double tap, gesture, multitouch) and
 * click species only, positions drawn inside the viewport and outside the
 * staff corners, their markers and logging off, seeded per visit.
 */
const unleash = (nb: number, seed: number) => `(() => {
  const w = innerWidth, h = innerHeight, corner = ${STAFF_CORNER_PX};
  const rnd = new gremlins.Chance(${seed});
  const position = () => {
    for (;;) {
      const x = rnd.natural({ max: w - 1 }), y = rnd.natural({ max: h - 1 });
      if (y < corner && (x < corner || x > w - corner)) continue;
      return [x, y];
    }
  };
  const quiet = { log() {}, info() {}, warn() {}, error() {} };
  return gremlins.createHorde({
    randomizer: rnd,
    logger: quiet,
    species: [
      gremlins.species.toucher({ touchTypes: ['tap', 'doubletap', 'gesture', 'multitouch'], positionSelector: position, showAction: () => {}, maxTouches: 2 }),
      gremlins.species.clicker({ clickTypes: ['click'], positionSelector: position, showAction: () => {} }),
    ],
    mogwais: [],
    strategies: [gremlins.strategies.distribution({ nb: ${nb}, delay: 20 })],
  }).unleash();
})()`;

/** Renderer processes' resident memory, summed (Linux /proc; 0 elsewhere). */
async function rendererRss(browserCdp: CDPSession): Promise<number> {
  const info = (await browserCdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number }[];
  };
  let total = 0;
  for (const p of info.processInfo.filter((p) => p.type === 'renderer')) {
    try {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** Everything the run saw. */
export interface EnduranceResult {
  plan: EndurancePlan;
  date: string;
  seconds: number;
  touches: number;
  slideChanges: number;
  checkpoints: Counters[];
  baseline: Counters;
  end: Counters;
  errors: string[];
  stuck: string[];
  /** Steps of the scripted tour ({@link TOUR}) that could not be taken. */
  tourMissed: string[];
  memory: { baseline: number; peak: number; pictures: number; missed: string[] };
  machine: string;
}

async function run(p: EndurancePlan, log: (line: string) => void): Promise<EnduranceResult> {
  const started = Date.now();
  const scans = await makeScanExhibit(p.quick ? { width: 1500, height: 1000 } : SCAN_SIZE, log);
  const preview = await startPreview({
    port: 0,
    open: false,
    quiet: true,
    contentDir: scans.dir,
    watch: false,
    ...TIMING,
  });
  const found = await findSystemBrowser();
  if (!found.ok) throw new Error(found.message);
  const browser = await chromium.launch({
    executablePath: found.path,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  const errors: string[] = [];
  const stuck: string[] = [];
  try {
    // The kiosk's CSP forbids inline scripts; gremlins.js is the bench's, added from outside.
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      hasTouch: true,
      bypassCSP: true,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const browserCdp = await browser.newBrowserCDPSession();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text().slice(0, 200));
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message.slice(0, 200)}`));
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(r.url()));
    await page.goto(preview.url);
    await page.locator('[data-testid="attract"]').waitFor();
    const require = createRequire(import.meta.url);
    const gremlinsJs = require.resolve('gremlins.js');
    await page.addScriptTag({ path: gremlinsJs });
    // Counts attract slide changes from outside: each slide layer that becomes the attract slide, whether
    // it joins the page as one or is laid down ahead and named the slide when its turn comes.
    await page.evaluate(`(() => {
      const slide = '[data-testid="attract-slide"]';
      window.__slides = 0;
      new MutationObserver((rs) => { for (const r of rs) {
        if (r.type === 'attributes') { if (r.target.matches(slide)) window.__slides++; continue; }
        for (const n of r.addedNodes)
          if (n.nodeType === 1 && (n.matches(slide) || n.querySelector?.(slide))) window.__slides++;
      } }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-testid'] });
    })()`);

    const checkpoints: Counters[] = [];
    let baseline: Counters | undefined;
    let touches = 0;
    const idleMs = (TIMING.idleSeconds + TIMING.countdownSeconds) * 1000;
    // A gremlin may have tapped Listen: the kiosk then waits for the narration to end.
    const letGoMs = idleMs + longestNarrationMs(scans.exhibit, scans.dir);
    const slidesAfter = async (n: number) => {
      const target = ((await page.evaluate('window.__slides ?? 0')) as number) + n;
      return page
        .waitForFunction(`(window.__slides ?? 0) >= ${target}`, undefined, { timeout: n * 3000 + 5000 })
        .then(() => true)
        .catch(() => false);
    };
    const checkpoint = async (visit: number) => {
      const c = await counters(page, cdp, visit);
      checkpoints.push(c);
      log(
        `${visit ? `visit ${visit}` : 'after the tour'}: heap ${(c.heap / 1e6).toFixed(2)} MB, ${c.nodes} nodes, ${c.listeners} listeners, ${c.howls} Howls (${Math.round((Date.now() - started) / 1000)} s in)`,
      );
      return c;
    };

    const tourMissed = await tour(page, cdp, scans.exhibit, idleMs);
    const unopened = unopenedComponents(
      readdirSync(path.join(builtRendererDir(root), 'assets')),
      fetched,
      svelteFiles(path.join(root, 'src/components')),
    );
    if (unopened.length) tourMissed.push(`tour: never opened ${unopened.join(', ')}`);
    for (const m of tourMissed) log(m);
    if (!(await page.locator('[data-testid="attract"]').count())) {
      await page.locator('[data-testid="attract"]').waitFor({ timeout: letGoMs + 15_000 });
    }
    if (!(await slidesAfter(p.slidesBetween))) stuck.push('after the tour: the attract loop did not turn');
    await checkpoint(0);
    for (let visit = 1; visit <= p.visits; visit++) {
      const route = ROUTES[(visit - 1) % ROUTES.length]!;
      try {
        await goTo(page, cdp, route, visit);
      } catch (err) {
        stuck.push(`visit ${visit}: could not reach ${route}: ${(err as Error).message.split('\n')[0]}`);
      }
      await page.evaluate(unleash(p.touchesPerVisit, visit));
      touches += p.touchesPerVisit;
      // The visitor walks away: the kiosk must come back to the attract loop by itself.
      try {
        await page.locator('[data-testid="attract"]').waitFor({ timeout: letGoMs + 15_000 });
      } catch {
        const screen = await page
          .locator('[data-screen]')
          .first()
          .getAttribute('data-screen')
          .catch(() => '?');
        stuck.push(
          `visit ${visit}: still on ${screen} ${Math.round(letGoMs / 1000) + 15} s after the last touch`,
        );
        await page.goto(preview.url);
        await page.addScriptTag({ path: gremlinsJs });
      }
      if (!(await slidesAfter(p.slidesBetween))) {
        stuck.push(`visit ${visit}: the attract loop did not turn ${p.slidesBetween} slides`);
      }
      if (visit === p.warmup || visit % p.checkpointEvery === 0 || visit === p.visits) {
        const c = await checkpoint(visit);
        if (visit === p.warmup) baseline = c;
      }
    }
    const slideChanges = (await page.evaluate('window.__slides ?? 0')) as number;
    const end = checkpoints.at(-1)!;

    // Every picture at full zoom, one after another, as a visitor could: sample the renderer's memory.
    const memBase = await rendererRss(browserCdp);
    let peak = memBase;
    let pictures = 0;
    const missed: string[] = [];
    for (const [ci, chapter] of scans.exhibit.chapters.entries()) {
      for (let i = 0; i < chapter.images.length; i++) {
        try {
          // From wherever the kiosk is (the accelerated idle may have reset it): home, the chapter, the picture.
          if (await page.locator('[data-testid="attract"]').count()) await tap(cdp, [960, 540]);
          if (!(await page.locator('[data-testid="home"]').count())) {
            await tapOn(page, cdp, '[data-testid="home-button"]');
          }
          await page.locator('[data-testid="home"]').waitFor({ timeout: 5000 });
          await tapOn(page, cdp, `[data-testid="chapter-card"] >> nth=${ci}`);
          await page.locator('[data-testid="chapter-image"]').first().waitFor({ timeout: 5000 });
          await page.waitForTimeout(600);
          if (i > 0) await tapOn(page, cdp, `[data-testid="chapter"] .thumb >> nth=${i}`);
          await tapOn(page, cdp, '[data-testid="chapter-image"]');
          await page.locator('[data-testid="viewer-image"]').waitFor({ timeout: 5000 });
          const c = await centre(page, '[data-testid="viewer-surface"]');
          for (let k = 0; k < 2; k++) {
            await cdp.send('Input.dispatchTouchEvent', {
              type: 'touchStart',
              touchPoints: [
                { x: c[0] - 30, y: c[1], id: 1 },
                { x: c[0] + 30, y: c[1], id: 2 },
              ],
            });
            for (let s = 1; s <= 10; s++) {
              const d = 30 + s * 42;
              await cdp.send('Input.dispatchTouchEvent', {
                type: 'touchMove',
                touchPoints: [
                  { x: c[0] - d, y: c[1], id: 1 },
                  { x: c[0] + d, y: c[1], id: 2 },
                ],
              });
            }
            await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
          }
          // Long enough to decode and draw the deepest zoom, short of the accelerated idle timeout.
          await page.waitForTimeout(1000);
          peak = Math.max(peak, await rendererRss(browserCdp));
          pictures++;
          await tapOn(page, cdp, '[data-testid="viewer-close"]');
          await page.locator('[data-testid="viewer"]').waitFor({ state: 'detached', timeout: 5000 });
        } catch (err) {
          missed.push(`${chapter.images[i]!.id}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
    return {
      plan: p,
      date: new Date().toISOString().slice(0, 10),
      seconds: Math.round((Date.now() - started) / 1000),
      touches,
      slideChanges,
      checkpoints,
      baseline: baseline ?? checkpoints[0]!,
      end,
      errors,
      stuck,
      tourMissed,
      memory: { baseline: memBase, peak, pictures, missed },
      machine: `${/model name\s*:\s*(.+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1]?.trim() ?? os.cpus()[0]?.model}, ${os.cpus().length} cores, Chromium ${browser.version()}`,
    };
  } finally {
    await browser.close();
    await preview.close();
    await scans.remove();
  }
}

/** The endurance section of BENCHMARKS.md. */
export function enduranceReport(r: EnduranceResult): string {
  const ok = (pass: boolean) => (pass ? 'within budget' : '**over budget**');
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
  const level = backAtLevel(r.baseline, r.end);
  const grew = r.memory.peak - r.memory.baseline;
  const b = r.baseline;
  const e = r.end;
  const howls = (n: number) => (n < 0 ? 'howler.js not loaded' : String(n));
  return [
    ENDURANCE_HEADING,
    '',
    `Measured by \`npm run bench:endurance\`${r.plan.quick ? ' **--quick (a smoke test: these numbers mean nothing)**' : ''} on ${r.date} (${r.machine}), no CPU throttle, in ${Math.round(r.seconds / 60)} min: ${r.plan.visits} visits, ${r.touches} random touches (gremlins.js), ${r.slideChanges} attract slide changes, with the scan exhibit and accelerated timings (${TIMING.attractSeconds} s a slide, ${TIMING.idleSeconds} s idle, ${TIMING.countdownSeconds} s countdown).`,
    '',
    '| measure | after the first visits | at the end | budget | |',
    '| --- | --- | --- | --- | --- |',
    `| JS heap after forced GC | ${mb(b.heap)} (visit ${b.visit}) | ${mb(e.heap)} (visit ${e.visit}) | within 1 MB | ${ok(e.heap - b.heap <= LIMITS.heapBytes)} |`,
    `| DOM nodes | ${b.nodes} | ${e.nodes} | within 5 % | ${ok(e.nodes <= b.nodes * (1 + LIMITS.countShare) + 5)} |`,
    `| event listeners | ${b.listeners} | ${e.listeners} | within 5 % | ${ok(e.listeners <= b.listeners * (1 + LIMITS.countShare) + 5)} |`,
    `| live Howls | ${howls(b.howls)} | ${howls(e.howls)} | no more | ${ok(e.howls <= Math.max(0, b.howls))} |`,
    `| console errors | | ${r.errors.length} | none | ${ok(r.errors.length === 0)} |`,
    `| steps of the first-use tour that could not be taken | | ${r.tourMissed.length} | none | ${ok(r.tourMissed.length === 0)} |`,
    `| visits not back on the attract screen after the idle reset | | ${r.stuck.length} | none | ${ok(r.stuck.length === 0)} |`,
    `| pictures that could not be opened at full zoom | | ${r.memory.missed.length} | none | ${ok(r.memory.missed.length === 0)} |`,
    `| renderer memory, every picture (${r.memory.pictures}) at full zoom: peak over the attract screen's | ${mb(r.memory.baseline)} | ${mb(r.memory.peak)} (+${mb(grew)}) | + 150 MB | ${ok(grew <= LIMITS.peakRendererBytes)} |`,
    '',
    `Overall: ${level.ok && r.errors.length === 0 && r.stuck.length === 0 && r.tourMissed.length === 0 && r.memory.missed.length === 0 && grew <= LIMITS.peakRendererBytes ? 'back at its level, no errors, never stuck' : `**${[...level.why, ...r.errors.slice(0, 5), ...r.tourMissed.slice(0, 3), ...r.stuck.slice(0, 5), ...r.memory.missed.slice(0, 3)].join('; ') || 'over the memory budget'}**`}.`,
    '',
    '| visit | JS heap | DOM nodes | listeners | Howls |',
    '| --- | --- | --- | --- | --- |',
    ...r.checkpoints.map(
      (c) =>
        `| ${c.visit || 'after the tour'} | ${mb(c.heap)} | ${c.nodes} | ${c.listeners} | ${howls(c.howls)} |`,
    ),
    '',
    `- **First use**: the renderer builds some things the first time a screen is used and keeps them for the life of the page (a lazily loaded screen's code and styles, the parsed template each component clones its elements from), so before any random visit a scripted tour with real taps opens every screen and overlay a visitor can reach once: ${TOUR.join('; ')}. Then come the random visits.`,
    '- **Visits**: each starts on the attract loop; real CDP taps lead it to the next screen in turn (home, a chapter, the viewer, timeline, numbers, map, credits), then gremlins.js (its UMD bundle added with `addScriptTag`) fires touch (tap, double tap, gesture, multitouch) and click species at random points of the viewport outside the staff corners (160 px squares top left and top right), 20 ms apart. Its events are synthetic (untrusted), so they exercise what listens to touch and click events; the real taps carry the pointer pipeline.',
    `- **Counters**: on the attract screen after two forced collections (CDP \`HeapProfiler.collectGarbage\`): \`Runtime.getHeapUsage\`, \`Memory.getDOMCounters\` (nodes, JS event listeners), and \`Howler._howls.length\` read from the global howler.js keeps. The baseline ("after the first visits") is taken after the tour and the first ${r.plan.warmup} random visits, at visit ${r.baseline.visit}: every screen and overlay has then been used at least once.`,
    '- **Renderer memory**: resident memory of the renderer processes (`SystemInfo.getProcessInfo`, `/proc/<pid>/status`) on the attract screen, then sampled with each picture open in the viewer pinched to its deepest zoom.',
    '',
  ].join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const quick = process.argv.includes('--quick');
  const outAt = process.argv.indexOf('--out');
  const out =
    outAt > 0
      ? path.resolve(process.argv[outAt + 1]!)
      : quick
        ? path.join(os.tmpdir(), 'BENCHMARKS.quick.md')
        : path.join(root, 'docs/BENCHMARKS.md');
  try {
    const r = await run(endurancePlan(quick), (line) => console.log(line));
    const section = enduranceReport(r);
    const md = existsSync(out) ? readFileSync(out, 'utf8') : '# Benchmarks\n';
    const at = md.indexOf(`\n${ENDURANCE_HEADING}`);
    writeFileSync(out, `${(at < 0 ? md : md.slice(0, at)).trimEnd()}\n\n${section}`);
    console.log(section);
    console.log(`wrote ${out}`);
  } catch (err) {
    console.error(`endurance bench failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  }
}
