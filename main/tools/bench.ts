/**
 * `npm run bench`: measures the kiosk's speed and size budgets in real
 * Chromium with a 4x CPU throttle, and writes the results to
 * docs/BENCHMARKS.md. Budgets are checked here, not in timed tests, because
 * timings on a shared 2-core machine are too noisy to gate a build on.
 *
 * Measures:
 * - initial JS: the gzip size of every script index.html loads up front;
 * - tap-to-next-paint: Event Timing durations (input to the next paint) for
 *   real CDP touch taps on the chapter's Next button, p50 and p95;
 * - frame time: requestAnimationFrame intervals during chapter transitions
 *   (swipes) and during the attract loop's motion, p50 / p95 / p99.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { findSystemBrowser } from '../cli/find-browser.js';
import { startPreview } from '../cli/preview.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rendererDir = path.join(root, 'dist/renderer');

/**
 * The speed and size budgets: first-load script (gzip), tap to next paint (p95)
 * and frame time (p99), measured under a 4x CPU throttle.
 */
export const BUDGETS = {
  initialJsGzipBytes: 60 * 1024,
  tapToPaintP95Ms: 100,
  frameP99Ms: 25,
} as const;

/** The value at quantile q (0..1) of a sample, by nearest rank. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Scripts index.html loads before first paint: module entry and modulepreloads. */
export function initialScripts(indexHtml: string): string[] {
  const out: string[] = [];
  for (const m of indexHtml.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) out.push(m[1]!);
  for (const m of indexHtml.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) out.push(m[1]!);
  return [...new Set(out)];
}

function gzipSizeOf(rel: string): number {
  return gzipSync(readFileSync(path.join(rendererDir, rel.replace(/^\.?\//, ''))), { level: 9 }).length;
}

async function touchTap(cdp: CDPSession, x: number, y: number): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

async function touchSwipe(cdp: CDPSession, from: [number, number], to: [number, number], steps = 8) {
  await cdp.send('Input.dispatchTouchEvent', {
    type: 'touchStart',
    touchPoints: [{ x: from[0], y: from[1] }],
  });
  for (let i = 1; i <= steps; i++) {
    const x = from[0] + ((to[0] - from[0]) * i) / steps;
    const y = from[1] + ((to[1] - from[1]) * i) / steps;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y }] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** Starts recording rAF intervals in the page; returns a function that stops and collects them. */
// Page scripts are passed as strings: tsx (esbuild) would wrap named inner
// functions in a `__name` helper that does not exist inside the page.
const START_FRAMES = `(() => {
  window.__frames = [];
  window.__framesOn = true;
  let last = performance.now();
  const tick = (t) => {
    if (!window.__framesOn) return;
    window.__frames.push(t - last);
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => { last = t; requestAnimationFrame(tick); });
})()`;

const OBSERVE_TAPS = `(() => {
  window.__taps = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.name === 'pointerup' || e.name === 'click' || e.name === 'pointerdown') window.__taps.push(e.duration);
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: false });
  // From the finger lifting to the frame that first draws the new chapter's page.
  window.__turns = [];
  let liftedAt = null;
  addEventListener('pointerup', (e) => { liftedAt = e.timeStamp; }, { capture: true });
  new MutationObserver((records) => {
    if (liftedAt === null || !records.some((r) => [...r.addedNodes].some((n) => n.classList?.contains('page')))) return;
    const from = liftedAt;
    liftedAt = null;
    requestAnimationFrame((t) => window.__turns.push(t - from));
  }).observe(document.querySelector('[data-testid="stage"]'), { childList: true });
})()`;

/** Starts recording rAF intervals in the page; returns a function that stops and collects them. */
async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(START_FRAMES);
  return () =>
    page.evaluate('(() => { window.__framesOn = false; return window.__frames; })()') as Promise<number[]>;
}

async function centreOf(page: Page, selector: string): Promise<[number, number]> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`bench: ${selector} is not on screen`);
  return [box.x + box.width / 2, box.y + box.height / 2];
}

/** Chapter turns by swipe in the transition measure. */
const SWIPES = 36;

interface Result {
  initialJs: { files: { file: string; gzip: number }[]; total: number };
  tap: number[];
  /** Finger lift to the frame that first draws the new page (no budget; shown for honesty). */
  turns: number[];
  transitionFrames: number[];
  attractFrames: number[];
  attractSlides: number;
  /** The exhibit's own seconds per attract slide, which the run keeps. */
  attractSeconds: number;
  chromium: string;
}

async function measure(): Promise<Result> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.log('Building the renderer first...');
    execFileSync('npm', ['run', 'build:renderer', '--silent'], { cwd: root, stdio: 'inherit' });
  }
  const indexHtml = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const files = initialScripts(indexHtml).map((file) => ({ file, gzip: gzipSizeOf(file) }));
  const total = files.reduce((a, f) => a + f.gzip, 0);

  const browser = await findSystemBrowser();
  if (!browser.ok) throw new Error(browser.message);
  const preview = await startPreview({ port: 0, open: false, quiet: true });
  const instance = await chromium.launch({
    executablePath: browser.path,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const context = await instance.newContext({ viewport: { width: 1920, height: 1080 }, hasTouch: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(preview.url);
    await page.locator('[data-testid="touch-to-explore"]').waitFor();

    // Attract motion: the slow image motion and every slide change of one whole loop, untouched.
    // At the exhibit's own pace: a shorter dwell would crowd the slide changes, each of which
    // draws a new full-screen picture, into fewer frames than visitors see them in.
    const slides = await page.locator('.dots span').count();
    const attractSeconds = (await page.evaluate(
      `fetch('api/exhibit').then((r) => r.json()).then((b) => b.exhibit.settings.attractSecondsPerSlide)`,
    )) as number;
    const stopAttract = await recordFrames(page);
    await page.waitForTimeout(slides * attractSeconds * 1000);
    const attractFrames = (await stopAttract()).slice(5);

    await touchTap(cdp, 960, 540);
    await page.locator('[data-testid="chapter-card"]').first().waitFor();
    const [cx, cy] = await centreOf(page, '[data-testid="chapter-card"]');
    await touchTap(cdp, cx, cy);
    await page.locator('[data-testid="next"]').first().waitFor();

    // Event Timing gives input-to-next-paint per interaction, as INP does.
    await page.evaluate(OBSERVE_TAPS);
    const taps: number[] = [];
    for (let i = 0; i < 30; i++) {
      const before = (await page.evaluate('window.__taps.length')) as number;
      const [nx, ny] = await centreOf(page, i % 2 === 0 ? '[data-testid="next"]' : '[data-testid="prev"]');
      // Event Timing reports only events over 16 ms; a faster one counts as 16 ms (one frame).
      await touchTap(cdp, nx, ny);
      await page.waitForTimeout(700);
      const entries = (await page.evaluate(`window.__taps.slice(${before})`)) as number[];
      taps.push(entries.length ? Math.max(...entries) : 16);
    }
    const turns = (await page.evaluate('window.__turns')) as number[];

    // Enough turns that the 99th percentile rests on a couple of dozen frames, not on seven.
    const stopTransitions = await recordFrames(page);
    for (let i = 0; i < SWIPES; i++) {
      const dir = i % 2 === 0 ? -1 : 1;
      await touchSwipe(cdp, [960 - dir * 500, 700], [960 + dir * 500, 700]);
      await page.waitForTimeout(800);
    }
    const transitionFrames = (await stopTransitions()).slice(2);
    return {
      initialJs: { files, total },
      tap: taps,
      turns,
      transitionFrames,
      attractFrames,
      attractSlides: slides,
      attractSeconds,
      chromium: instance.version(),
    };
  } finally {
    await instance.close();
    await preview.close();
  }
}

function fmt(n: number): string {
  return Number.isFinite(n) ? n.toFixed(1) : 'n/a';
}

function report(r: Result): string {
  const ok = (pass: boolean) => (pass ? 'within budget' : '**over budget**');
  const tapP95 = percentile(r.tap, 0.95);
  const transP99 = percentile(r.transitionFrames, 0.99);
  const attrP99 = percentile(r.attractFrames, 0.99);
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in Chromium ${r.chromium},`,
    'headless, with a 4x CPU throttle (CDP `Emulation.setCPUThrottlingRate`), at 1920x1080 with touch input',
    'sent through CDP. The machine: ' + `${process.platform}, Node ${process.version}` + ', 2 cores.',
    'Timings are percentiles over the runs described; rerun the command to refresh this file.',
    '',
    '| measure | result | budget | |',
    '| --- | --- | --- | --- |',
    `| initial JS, gzip | ${(r.initialJs.total / 1024).toFixed(1)} kB | ${BUDGETS.initialJsGzipBytes / 1024} kB | ${ok(r.initialJs.total <= BUDGETS.initialJsGzipBytes)} |`,
    `| tap to next paint, p50 (${r.tap.length} taps) | ${fmt(percentile(r.tap, 0.5))} ms | | |`,
    `| tap to next paint, p95 | ${fmt(tapP95)} ms | ≤ ${BUDGETS.tapToPaintP95Ms} ms | ${ok(tapP95 <= BUDGETS.tapToPaintP95Ms)} |`,
    `| tap to the new chapter's first frame, p50 / p95 (${r.turns.length} taps) | ${fmt(percentile(r.turns, 0.5))} / ${fmt(percentile(r.turns, 0.95))} ms | | |`,
    `| frame time in chapter transitions, p50 / p95 / p99 (${r.transitionFrames.length} frames) | ${fmt(percentile(r.transitionFrames, 0.5))} / ${fmt(percentile(r.transitionFrames, 0.95))} / ${fmt(transP99)} ms | p99 ≤ ${BUDGETS.frameP99Ms} ms | ${ok(transP99 <= BUDGETS.frameP99Ms)} |`,
    `| frame time in attract motion, p50 / p95 / p99 (${r.attractFrames.length} frames) | ${fmt(percentile(r.attractFrames, 0.5))} / ${fmt(percentile(r.attractFrames, 0.95))} / ${fmt(attrP99)} ms | p99 ≤ ${BUDGETS.frameP99Ms} ms | ${ok(attrP99 <= BUDGETS.frameP99Ms)} |`,
    '',
    '## Initial scripts',
    '',
    '| file | gzip |',
    '| --- | --- |',
    ...r.initialJs.files.map((f) => `| \`${f.file}\` | ${(f.gzip / 1024).toFixed(1)} kB |`),
    '',
    '## How each is measured',
    '',
    '- **Initial JS**: every `<script src>` and `<link rel="modulepreload">` in the built `index.html`, gzip level 9. Screens loaded later (timeline, numbers, map, credits) are not counted.',
    '- **Tap to next paint**: the longest Event Timing entry (`pointerdown`, `pointerup`, `click`) per tap on the chapter Next/Previous buttons; Event Timing reports only events over 16 ms, so a faster tap counts as 16 ms. A button shows itself pressed in that paint and acts just after it (`afterNextPaint` in `src/lib/pointer.ts`), so the row below gives the time until the new chapter itself starts to slide in: from the finger lifting to the animation frame that first draws the new page.',
    `- **Frame time**: intervals between \`requestAnimationFrame\` callbacks while swiping between chapters (${SWIPES} swipes, 800 ms apart, so every interval of the turn counts: the finger's drag, building the next page, its slide) and while the attract loop runs untouched for one whole loop (${r.attractSlides} slides at the exhibit's ${r.attractSeconds} s each, every picture and every change; the next slide's picture is fetched and decoded halfway through the one before). These are the renderer main thread's frames: one in which the compositor kept the motion going while the main thread waited (for a new page to be rasterised, say) still counts as long, so they err on the side of jank.`,
    '- **Compositing**: headless Chromium here has no GPU, so it composites on the CPU, and the kiosk, detecting that (`src/lib/render-mode.ts`), moves pictures and pages in whole pixels, which the CPU copies rather than resamples. With a GPU the kiosk zooms and slides smoothly instead; this machine cannot measure that mode.',
    "- **Pictures**: the bundled exhibit's pictures are its placeholder plates, shown from their raster screen copies (`media/_screen/`, made by `main/tools/make-plates.ts`) as real scans are from the copies `content build` makes. Drawing the SVG plates themselves cost the attract loop and chapter turns their long frames (parsing, text layout and a full-screen rasterisation each time one appeared); the viewer, which zooms, still draws the SVG.",
    '',
  ];
  return lines.join('\n');
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const r = await measure();
    const md = report(r);
    writeFileSync(path.join(root, 'docs/BENCHMARKS.md'), md);
    console.log(md);
  } catch (err) {
    console.error(`bench failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
