/**
 * The first screen after a power-on: drawn from the page the host served (no
 * second request for the exhibit), with its words set in their own faces from
 * the first frame (no face found late, no words set twice), and still drawn
 * when the page carries no usable exhibit.
 */
import type { Page } from '@playwright/test';
import { pick } from '../../main/contract/exhibit.js';
import { servedExhibit } from './exhibit-data.js';
import { expect, ORIENTATIONS, test } from './kiosk-fixture.js';

test.use({ viewport: ORIENTATIONS.landscape });

test('the attract loop is drawn from the served page, in faces fetched with the page', async ({
  page,
  preview,
}) => {
  const asked: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(preview.url);
  await expect(page.getByTestId('attract-slide').first()).toBeVisible();
  await expect(page.getByTestId('touch-to-explore')).toHaveText(/\S/);
  expect(asked).not.toContain('/api/exhibit');
  // The served data element is gone once read: the page keeps the exhibit once.
  expect(await page.locator('#vitrine-exhibit').count()).toBe(0);

  // Every face the first screen asks for, including those only the language switch's names need.
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => document.fonts.ready);
  const late = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.woff2') && (e as PerformanceResourceTiming).initiatorType !== 'link')
      .map((e) => new URL(e.name).pathname),
  );
  expect(late, 'faces the first screen needed but the page did not preload').toEqual([]);
  expect(errors).toEqual([]);
});

test('a page whose exhibit data is damaged asks the host and still shows the loop', async ({
  page,
  preview,
}) => {
  await rewriteServedPage(page, preview.url, (html) =>
    html.replace(
      /(<script type="application\/json" id="vitrine-exhibit">)[\s\S]*?(<\/script>)/,
      '$1{"version":"1","exhibit":{"tit$2',
    ),
  );
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/exhibit');
  await page.goto(preview.url);
  await asked;
  await expect(page.getByTestId('attract-slide').first()).toBeVisible();
});

/** Records, from the page's first frame, what a camera on the screen would see of the first slide. */
const WATCH_FIRST_FRAMES = `(() => {
  window.__frames = [];
  window.__webglAt = undefined;
  const getContext = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
    if (String(kind).startsWith('webgl') && window.__webglAt === undefined) window.__webglAt = performance.now();
    return getContext.call(this, kind, ...rest);
  };
  const tick = (t) => {
    const slide = document.querySelector('[data-testid="attract-slide"]');
    const title = slide?.querySelector('h2');
    if (title) {
      let opacity = 1;
      for (let el = title; el; el = el.parentElement) opacity *= Number(getComputedStyle(el).opacity);
      const moving = slide.querySelector('.kenburns, .ghost-num');
      const m = moving && new DOMMatrixReadOnly(getComputedStyle(moving).transform);
      window.__frames.push({
        t,
        opacity,
        pose: m && [m.a, m.d, m.e, m.f],
        known: document.documentElement.classList.contains('motion-known'),
      });
    }
    if (window.__frames.length < 60) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface FirstFrame {
  t: number;
  opacity: number;
  /** The moving picture's (or number's) scale and offset: a, d, e, f of its transform. */
  pose?: [number, number, number, number];
  known: boolean;
}

test('the first slide is drawn at full strength from its first frame, not faded up from nothing', async ({
  page,
  preview,
}) => {
  await page.addInitScript(WATCH_FIRST_FRAMES);
  await page.goto(preview.url);
  await page.waitForFunction(() => (window as { __frames?: unknown[] }).__frames!.length >= 60);
  const frames = (await page.evaluate('window.__frames')) as FirstFrame[];
  expect(frames[0]!.opacity).toBe(1);
});

for (const motion of ['', 'cpu', 'gpu']) {
  test(`${motion ? `with motion=${motion} ` : ''}the first slide shows before the screen is tested for motion, and starts moving from where it stands`, async ({
    page,
    preview,
  }) => {
    await page.addInitScript(WATCH_FIRST_FRAMES);
    await page.goto(motion ? `${preview.url}?motion=${motion}` : preview.url);
    await page.waitForFunction(() => (window as { __frames?: unknown[] }).__frames!.length >= 60);
    const frames = (await page.evaluate('window.__frames')) as FirstFrame[];
    const webglAt = (await page.evaluate('window.__webglAt')) as number | undefined;
    // Asking WebGL which renderer draws (a long moment on a slow PC) waits until the app's first
    // screen is drawn. Unless the address says which, that is: then nothing is asked.
    if (motion) expect(webglAt).toBeUndefined();
    else expect(webglAt).toBeGreaterThanOrEqual(frames[0]!.t);
    expect(frames.some((f) => !f.known) && frames.some((f) => f.known)).toBe(true);
    // Held still while unknown, then moving from that same place: nowhere does the picture (or the
    // number) jump between one frame and the next.
    const poses = frames.map((f) => f.pose!);
    for (let i = 1; i < poses.length; i++) {
      const [a, d, e, f] = poses[i]!;
      const [a0, d0, e0, f0] = poses[i - 1]!;
      // The limits are per 60 Hz frame: a frame a loaded machine drops lets the motion run on
      // twice as far, which is no jump; a jump (the picture snapping to another place) is far more.
      const frames60 = Math.max(1, Math.round((frames[i]!.t - frames[i - 1]!.t) / (1000 / 60)));
      expect(Math.abs(a - a0) + Math.abs(d - d0), 'scale between frames').toBeLessThanOrEqual(
        0.01 * frames60,
      );
      expect(Math.abs(e - e0) + Math.abs(f - f0), 'offset between frames, px').toBeLessThanOrEqual(
        2 * frames60,
      );
    }
  });
}

/** Serves the kiosk's page at `url` as the host wrote it, changed by `edit`. */
async function rewriteServedPage(page: Page, url: string, edit: (html: string) => string): Promise<void> {
  await page.route(url, async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: edit(await res.text()) });
  });
}

/** The URL of the page's entry script, as the served page names it. */
async function entryScript(page: Page, url: string): Promise<string> {
  const html = await (await page.request.get(url)).text();
  const src = /<script type="module"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('the served page names no entry script');
  return new URL(src, url).href;
}

/** Each line box of each element's text, as [x, y, width, height]. */
const lineBoxes = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      return [...r.getClientRects()].map((b) => [b.x, b.y, b.width, b.height]);
    }),
  );

for (const orientation of ['landscape', 'portrait'] as const) {
  test.describe(`${orientation}`, () => {
    test.use({ viewport: ORIENTATIONS[orientation] });

    test('before any script runs, the page shows the exhibit title where the attract screen then draws it', async ({
      page,
      preview,
    }) => {
      const exhibit = await servedExhibit(preview.url);
      const lang = exhibit.settings.defaultLanguage;
      const title = pick(exhibit.title, lang);
      const source = pick(exhibit.source.name, lang);

      await page.route(await entryScript(page, preview.url), (route) => route.abort());
      await page.goto(preview.url);
      await page.evaluate(() => document.fonts.ready);
      const shellTitle = page.getByText(title, { exact: true });
      await expect(shellTitle).toBeVisible();
      await expect(page.getByText(source, { exact: true })).toBeVisible();
      const shell = await lineBoxes(page, '.first-screen-shell .eyebrow, .first-screen-shell .title');
      // The ground behind it is the attract screen's.
      const ground = await page
        .locator('.first-screen-shell')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      await page.unrouteAll();

      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(preview.url);
      await expect(page.getByTestId('attract')).toBeVisible();
      await page.evaluate(() => document.fonts.ready);
      const app = await lineBoxes(
        page,
        '[data-testid="attract"] .masthead .eyebrow, [data-testid="attract"] .masthead h1',
      );
      expect(app.map((lines) => lines.length)).toEqual(shell.map((lines) => lines.length));
      for (const [i, lines] of app.entries()) {
        for (const [j, box] of lines.entries()) {
          for (const [k, v] of box.entries()) {
            expect(
              Math.abs(v - shell[i]![j]![k]!),
              `text line ${i}.${j}, [x, y, w, h][${k}]`,
            ).toBeLessThanOrEqual(1);
          }
        }
      }
      expect(await page.getByTestId('attract').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        ground,
      );

      // Once mounted: the title once on the screen, and once for a screen reader.
      await expect(page.locator('.first-screen-shell')).toHaveCount(0);
      await expect(page.getByText(title, { exact: true })).toHaveCount(1);
      await expect(page.getByRole('heading', { name: title })).toHaveCount(1);
      expect(errors).toEqual([]);
    });
  });
}

test('the first paint, while the script is still on its way, is the masthead; the app takes over in one frame', async ({
  page,
  preview,
}) => {
  const script = await entryScript(page, preview.url);
  let delivered = Number.POSITIVE_INFINITY;
  await page.route(script, async (route) => {
    const res = await route.fetch();
    await new Promise((r) => setTimeout(r, 600));
    delivered = Date.now();
    await route.fulfill({ response: res });
  });
  await page.addInitScript(`(() => {
    window.__handover = [];
    const tick = (t) => {
      window.__handover.push({
        t,
        shell: !!document.querySelector('.first-screen-shell .title'),
        app: !!document.querySelector('[data-testid="attract"] .masthead h1'),
      });
      if (!document.querySelector('[data-testid="attract"] .masthead h1') || window.__handover.length < 400)
        requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  const fcpWall = await page.evaluate(
    () =>
      performance.timeOrigin + (performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN),
  );
  expect(fcpWall, 'first contentful paint came before the script arrived').toBeLessThan(delivered);
  const frames = (await page.evaluate('window.__handover')) as { t: number; shell: boolean; app: boolean }[];
  const from = frames.findIndex((f) => f.shell);
  expect(from, 'a frame showed the masthead from the page').toBeGreaterThanOrEqual(0);
  // From then on every frame shows the masthead once: never both, never neither.
  for (const f of frames.slice(from)) expect(Number(f.shell) + Number(f.app), `frame at ${f.t}`).toBe(1);
  expect(frames.at(-1)!.app).toBe(true);
});

test('when the script is ready before the page can paint, the masthead is still the first paint', async ({
  page,
  preview,
}) => {
  // A slow PC in miniature: the page may not paint for 600 ms (a render-blocking script that
  // arrives late), while the entry script is at hand at once and runs long before that.
  await rewriteServedPage(page, preview.url, (html) =>
    html.replace('</head>', '<script async blocking="render" src="./hold-first-frame.js"></script></head>'),
  );
  await page.route('**/hold-first-frame.js', async (route) => {
    await new Promise((r) => setTimeout(r, 600));
    await route.fulfill({ contentType: 'text/javascript', body: '' });
  });
  // What each frame draws: an animation frame's callbacks run just before it is painted.
  await page.addInitScript(`(() => {
    window.__firstFrames = [];
    const tick = (t) => {
      const shell = !!document.querySelector('.first-screen-shell .title');
      const app = !!document.querySelector('[data-testid="attract"] .masthead h1');
      window.__firstFrames.push({ t, shell, app });
      if (!app) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  const frames = (await page.evaluate('window.__firstFrames')) as {
    t: number;
    shell: boolean;
    app: boolean;
  }[];
  expect(frames[0]!.t, 'the page painted only once the hold was over').toBeGreaterThan(500);
  expect(frames[0], 'the first frame drew the masthead from the page, not the app').toMatchObject({
    shell: true,
    app: false,
  });
  expect(frames.at(-1)!.app).toBe(true);
});

test('a page that draws no frames (out of sight) still mounts the app in place of the masthead', async ({
  page,
  preview,
}) => {
  // As when the kiosk's window starts behind another: no animation frame ever comes.
  await page.addInitScript('window.requestAnimationFrame = () => 0;');
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeAttached({ timeout: 3000 });
  await expect(page.locator('.first-screen-shell')).toHaveCount(0);
});
