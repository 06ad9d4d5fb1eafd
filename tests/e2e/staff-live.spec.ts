/**
 * The staff panel and live updates in real Chromium with touch, following
 * docs/staff-guide.md: open the panel with the hidden gesture and the PIN,
 * see the version, then replace a placeholder plate with a scan, pack it, drop
 * it into the inbox and apply it from the panel. A visitor mid-visit keeps the
 * old plate; after the idle reset the kiosk shows the scan.
 *
 * The kiosk here is the one `npm start` serves in a browser: its own flags,
 * parsed by its own parser, assembled by `serveKiosk` (main/cli/start.ts).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Preview } from '../../main/cli/preview.js';
import { serveKiosk } from '../../main/cli/start.js';
import type { LiveContent } from '../../main/content/live.js';
import { parseArgs } from '../../main/kiosk/flags.js';
import { longPress, tap } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const size = { width: 1920, height: 1080 };
const shots = process.env.VITRINE_GUIDE_SHOTS; // set to docs/images to refresh the guide's screenshots
const resultShots = process.env.VITRINE_RESULT_SHOTS; // a folder for screenshots of the panel's action results

/** A stand-in for a museum's scan: an aged typed page, clearly not the placeholder plate. */
const SCAN_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
  <rect width="1200" height="900" fill="#3a3128"/>
  <rect x="140" y="40" width="920" height="820" fill="#d8c9a3" transform="rotate(-1.2 600 450)"/>
  <g fill="#4a3f33" transform="rotate(-1.2 600 450)">
    <rect x="420" y="110" width="360" height="18"/>
    ${Array.from({ length: 24 }, (_, i) => `<rect x="220" y="${190 + i * 26}" width="${560 + ((i * 97) % 200)}" height="9" opacity="0.75"/>`).join('')}
    <rect x="700" y="820" width="220" height="6"/>
  </g>
</svg>`;

interface Fixtures {
  work: string;
  kiosk: Preview & { live: LiveContent };
  /** How often the kiosk looks at its folders by itself; 0: only when staff press a button. */
  pollMs: number;
}

const test = base.extend<Fixtures>({
  pollMs: [500, { option: true }],
  work: async ({}, use) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vitrine-staff-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  kiosk: async ({ work, pollMs }, use) => {
    await cp(path.join(root, 'assets', 'exhibit'), path.join(work, 'content'), { recursive: true });
    await mkdir(path.join(work, 'inbox'));
    // `npm start -- --no-open --content ... --inbox ...`, as staff would type it.
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
        '5',
        '--countdown-seconds',
        '3',
      ],
      {},
      root,
    );
    if (!args.ok) throw new Error(args.message);
    const kiosk = await serveKiosk(args.options, {
      actions: {},
      defaultPort: 0,
      log: () => {},
      // A throwaway store and user data (staff PIN), as VITRINE_CONTENT_STORE and the OS would give.
      env: { VITRINE_CONTENT_STORE: path.join(work, 'store') },
      userData: path.join(work, 'user'),
      tuning: { pollMs, stableMs: 1000 },
      // The renderer was built before the run; a rebuild mid-test would only slow it down.
      build: false,
    });
    if (!kiosk.services) throw new Error('npm start served no live content store');
    await use({ ...kiosk, live: kiosk.services.live });
    await kiosk.close();
  },
});

test.use({ viewport: size, hasTouch: true });

async function shot(page: Page, name: string) {
  if (shots) await page.screenshot({ path: path.join(root, shots, name) });
}

/** The first-run PIN from the guide: it opens only the step that sets a new PIN. */
const FIRST_RUN_PIN = '1945';
/** The PIN staff choose at the first sign-in. */
const STAFF_PIN = '7351';

/** The gesture from the guide: hold the top-left corner 3 s, then tap the top-right corner. */
async function openStaffPanel(page: Page, pin = STAFF_PIN, width = size.width) {
  await longPress(page, { x: 40, y: 40 }, 3300);
  await tap(page, { x: width - 40, y: 40 });
  await expect(page.getByTestId('staff-pin')).toBeVisible();
  await shot(page, 'staff-pin.png');
  for (const d of pin) await tap(page, await centre(page, `pin-${d}`));
  await tap(page, await centre(page, 'pin-enter'));
  await expect(page.getByTestId('staff-panel')).toBeVisible();
}

/** Types digits on the panel's own keypad, then taps its arrow (next entry, or save from the last). */
async function keypad(page: Page, digits: string) {
  for (const d of digits) await tap(page, await centre(page, `staff-key-${d}`));
  await tap(page, await centre(page, 'staff-key-next'));
}

/**
 * The first sign-in, as the guide tells it: the first-run PIN opens only the
 * step that sets a new PIN; once it is saved, the panel itself opens.
 */
async function firstSignIn(page: Page, width = size.width, shotName = 'staff-first-run.png') {
  await openStaffPanel(page, FIRST_RUN_PIN, width);
  await expect(page.getByTestId('staff-first-run')).toBeVisible();
  await expect(page.getByTestId('staff-default-pin')).toBeVisible();
  // Nothing else is on offer until then.
  await expect(page.getByTestId('staff-version')).toHaveCount(0);
  await expect(page.getByTestId('staff-apply-inbox')).toHaveCount(0);
  await shot(page, shotName);
  await keypad(page, FIRST_RUN_PIN);
  await keypad(page, STAFF_PIN);
  await keypad(page, STAFF_PIN);
  await expect(page.getByTestId('staff-first-run')).toHaveCount(0);
  await expect(page.getByTestId('staff-notice')).toContainText('saved');
}

async function centre(page: Page, testId: string) {
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) throw new Error(`${testId} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test('the first-run PIN sets a new PIN and nothing else; two different new PINs are refused', async ({
  page,
  kiosk,
}) => {
  // Every step is a real touch (two 3-second holds, 24 keys): slow on a busy machine.
  test.slow();
  await page.goto(kiosk.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  await openStaffPanel(page, FIRST_RUN_PIN);
  await expect(page.getByTestId('staff-first-run')).toBeVisible();
  await expect(page.getByTestId('staff-version')).toHaveCount(0);
  await keypad(page, FIRST_RUN_PIN);
  await keypad(page, STAFF_PIN);
  await keypad(page, '7352');
  await expect(page.getByTestId('staff-pin-change-message')).toContainText('differ');
  await expect(page.getByTestId('staff-first-run')).toBeVisible();
  await keypad(page, STAFF_PIN);
  await expect(page.getByTestId('staff-version')).toContainText(kiosk.live.source.current()!.version);

  // From now on the first-run PIN is just a wrong PIN.
  await tap(page, await centre(page, 'staff-lock'));
  await longPress(page, { x: 40, y: 40 }, 3300);
  await tap(page, { x: size.width - 40, y: 40 });
  for (const d of FIRST_RUN_PIN) await tap(page, await centre(page, `pin-${d}`));
  await tap(page, await centre(page, 'pin-enter'));
  await expect(page.getByTestId('staff-pin-message')).toContainText('4');
  await expect(page.getByTestId('staff-panel')).toHaveCount(0);
});

test('a visitor cannot open the panel by tapping corners; a wrong PIN is refused', async ({
  page,
  kiosk,
}) => {
  await page.goto(kiosk.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  // A short press and a corner tap, as a visitor might: nothing opens.
  await longPress(page, { x: 40, y: 40 }, 600);
  await tap(page, { x: size.width - 40, y: 40 });
  await expect(page.getByTestId('staff-pin')).toHaveCount(0);

  await longPress(page, { x: 40, y: 40 }, 3300);
  await tap(page, { x: size.width - 40, y: 40 });
  for (const d of '0000') await tap(page, await centre(page, `pin-${d}`));
  await tap(page, await centre(page, 'pin-enter'));
  await expect(page.getByTestId('staff-pin-message')).toContainText('4');
  await expect(page.getByTestId('staff-panel')).toHaveCount(0);
});

test.describe('from the inbox', () => {
  // The kiosk takes the package only when staff press the button, so the panel can say what the press did.
  test.use({ pollMs: 0 });

  test('following the guide: a placeholder replaced by a scan reaches the kiosk at the next idle reset', async ({
    page,
    kiosk,
    work,
  }) => {
    // The whole journey, the first sign-in included, in real touches: slow on a busy machine.
    test.slow();
    await page.goto(kiosk.url);
    await expect(page.getByTestId('attract')).toBeVisible();

    await firstSignIn(page);
    const version = kiosk.live.source.current()!.version;
    await expect(page.getByTestId('staff-version')).toContainText(version);
    await expect(page.getByTestId('staff-installed-from')).toContainText('content');
    await expect(page.getByTestId('staff-default-pin')).toHaveCount(0);
    await expect(page.getByTestId('staff-uptime')).toBeVisible();
    await shot(page, 'staff-panel.png');

    // The guide, step by step: copy the folder, put the scan in media/, point src at it, validate, pack.
    const edit = path.join(work, 'my-exhibit');
    await cp(path.join(work, 'content'), edit, { recursive: true });
    await mkdir(path.join(edit, 'media', 'scans'));
    await sharp(Buffer.from(SCAN_SVG))
      .jpeg({ quality: 85 })
      .toFile(path.join(edit, 'media', 'scans', 'yalta-agreements.jpg'));
    await rm(path.join(edit, 'media', 'plates', 'yalta-agreements.svg'));
    const yaml = await readFile(path.join(edit, 'exhibit.yaml'), 'utf8');
    const edited = yaml.replace(
      'src: media/plates/yalta-agreements.svg\n        placeholder: true',
      'src: media/scans/yalta-agreements.jpg\n        placeholder: false',
    );
    expect(edited).not.toBe(yaml);
    await writeFile(path.join(edit, 'exhibit.yaml'), edited.replace("version: '1'", "version: '2'"));
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'main/cli/content.ts', ...args], {
        cwd: root,
        encoding: 'utf8',
      });
    expect(cli('validate', edit)).toMatch(/OK/);
    cli('pack', edit, path.join(work, 'out', 'exhibit-v2.zip'));

    // A visitor is mid-visit on the chapter with the plate when the package arrives.
    await tap(page, await centre(page, 'staff-lock'));
    await expect(page.getByTestId('staff-panel')).toHaveCount(0);
    // The gesture's first touch woke the attract loop, as any touch does.
    await expect(page.getByTestId('app')).toHaveAttribute('data-screen', 'home');
    const chapter = page.getByTestId('app');
    await openChapterWithPlate(page);
    const plate = page.locator('img[src="/media/plates/yalta-agreements.svg"]').first();
    await expect(plate).toBeVisible();

    await writeFile(
      path.join(work, 'inbox', 'exhibit-v2.zip'),
      await readFile(path.join(work, 'out', 'exhibit-v2.zip')),
    );
    await openStaffPanel(page);
    await expect(page.getByTestId('staff-inbox')).toContainText(path.join(work, 'inbox'));
    // The panel says what each press did, not just "Done.": until the copy has held still, that the
    // package is still being copied; then that it was installed. Each press waits for its own answer,
    // so a slow answer is never mistaken for a press that did nothing.
    const notice = page.getByTestId('staff-notice');
    for (let press = 0; ; press++) {
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/staff/apply-inbox'));
      await tap(page, await centre(page, 'staff-apply-inbox'));
      const said = ((await (await answer).json()) as { result?: string }).result ?? '';
      await expect(notice).toHaveText(said);
      if (said.startsWith('Installed') || press >= 10) break;
      await page.waitForTimeout(1000);
    }
    await expect(notice).toContainText(
      /^Installed exhibit-v2\.zip \(version 2\); visitors see it from the next idle reset/,
    );
    await expect(page.getByTestId('staff-installed-from')).toContainText('exhibit-v2.zip');
    await expect(page.getByTestId('staff-version')).toContainText(/^\s*2\s/);
    await expect(page.getByTestId('staff-waiting')).toBeVisible();
    await shot(page, 'staff-panel-applied.png');
    if (resultShots) await page.screenshot({ path: path.join(resultShots, 'staff-result-installed.png') });
    // Pressed again, with nothing left in the inbox, it says so.
    await tap(page, await centre(page, 'staff-apply-inbox'));
    await expect(notice).toHaveText('Nothing new in the inbox.');
    await expect(page.getByTestId('staff-version')).toContainText(/^\s*2\s/);
    if (resultShots) await page.screenshot({ path: path.join(resultShots, 'staff-result-nothing-new.png') });
    await tap(page, await centre(page, 'staff-lock'));

    // Still mid-visit: the visitor keeps the plate they were looking at.
    await expect(plate).toBeVisible();
    await expect(chapter).toHaveAttribute('data-screen', 'chapter');

    // Walk away: the idle countdown resets the kiosk, and the new version is taken then.
    await expect(page.getByTestId('attract')).toBeVisible({ timeout: 20_000 });
    await tap(page, { x: size.width / 2, y: size.height / 2 });
    await openChapterWithPlate(page);
    await expect(page.locator('img[src="/media/scans/yalta-agreements.jpg"]').first()).toBeVisible();
    await expect(page.locator('img[src="/media/plates/yalta-agreements.svg"]')).toHaveCount(0);
    await shot(page, 'kiosk-scan-shown.png');
    // The renderer confirmed the new version, so the host keeps it.
    await expect.poll(() => kiosk.live.status().confirmed).toBe(true);
  });
});

test('a version the kiosk cannot show is rolled back by itself, and the panel says so', async ({
  page,
  kiosk,
  work,
}) => {
  await page.goto(kiosk.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  const good = kiosk.live.source.current()!.version;
  await expect.poll(() => kiosk.live.status().confirmed).toBe(true);

  // The next version cannot be loaded by the screen (as if its data broke the renderer).
  await page.route('**/api/exhibit', (route) => route.abort());
  const file = path.join(work, 'content', 'exhibit.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace("version: '1'", "version: '1.1'"));
  await expect.poll(() => kiosk.live.status().autoRollback?.version, { timeout: 20_000 }).toBeTruthy();
  expect(kiosk.live.source.current()?.version).toBe(good);
  await page.unroute('**/api/exhibit');

  await firstSignIn(page);
  await expect(page.getByTestId('staff-auto-rollback')).toContainText('Rolled back by itself');
  await expect(page.getByTestId('staff-version')).toContainText(good);
  await expect(page.getByTestId('staff-errors-list')).toContainText('failed to render');
  await shot(page, 'staff-auto-rollback.png');
});

/** Opens the chapter whose first image is the Yalta agreements plate (or scan). */
async function openChapterWithPlate(page: Page) {
  const card = page.getByTestId('chapter-card').filter({ hasText: 'A pledge to the Allies' });
  await card.scrollIntoViewIfNeeded();
  await tap(page, await boxCentre(card));
  await expect(page.getByTestId('app')).toHaveAttribute('data-screen', 'chapter');
}

async function boxCentre(loc: ReturnType<Page['locator']>) {
  const box = await loc.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

test.describe('portrait', () => {
  test.use({ viewport: { width: 1080, height: 1920 } });

  test('the panel fits a portrait screen; the test pattern draws every touch', async ({ page, kiosk }) => {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    await firstSignIn(page, 1080, 'staff-first-run-portrait.png');
    await expect(page.getByTestId('staff-version')).toContainText(kiosk.live.source.current()!.version);
    const panel = await page.getByTestId('staff-panel').boundingBox();
    expect(panel?.width).toBeLessThanOrEqual(1080);
    if (shots) await page.screenshot({ path: path.join(root, shots, 'staff-panel-portrait.png') });
    // An empty inbox: the press says so, in the panel's message line, on a portrait screen too.
    await tap(page, await centre(page, 'staff-apply-inbox'));
    await expect(page.getByTestId('staff-notice')).toHaveText('Nothing new in the inbox.');
    await expect(page.getByTestId('staff-notice')).toBeInViewport();
    if (resultShots)
      await page.screenshot({ path: path.join(resultShots, 'staff-result-portrait.png'), fullPage: true });

    await tap(page, await centre(page, 'staff-test-pattern'));
    const pattern = page.getByTestId('staff-test-pattern-screen');
    await expect(pattern).toHaveAttribute('data-touches', '0');
    await tap(page, { x: 200, y: 300 });
    await tap(page, { x: 900, y: 1700 });
    await expect(pattern).toHaveAttribute('data-touches', '2');
    if (shots) await page.screenshot({ path: path.join(root, shots, 'staff-test-pattern.png') });
    await tap(page, await centre(page, 'staff-test-close'));
    await expect(page.getByTestId('staff-panel')).toBeVisible();
  });
});
