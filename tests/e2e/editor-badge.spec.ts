/**
 * The editors' preview badge (`npm run preview`) sits in the access dock's free middle, so
 * with problems listed it still covers no control on any screen, at both orientations.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPreview, type Preview } from '../../main/cli/preview.js';
import { ORIENTATIONS, type Orientation } from './kiosk-fixture.js';
import { tap, tapOn } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const test = base.extend<{ dir: string; preview: Preview }>({
  dir: async ({}, use) => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'vitrine-badge-e2e-'));
    await cp(path.join(root, 'assets', 'exhibit'), path.join(work, 'content'), { recursive: true });
    await use(path.join(work, 'content'));
    await rm(work, { recursive: true, force: true });
  },
  preview: async ({ dir }, use) => {
    const preview = await startPreview({ contentDir: dir, port: 0, quiet: true, editor: true, watch: true });
    await use(preview);
    await preview.close();
  },
});

/** Every control on screen the badge overlaps, by its text or test id. */
async function covered(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const badge = document.querySelector('[data-testid=preview-panel]')!.getBoundingClientRect();
    const hits: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, [role=button], a[href], [role=tab]')) {
      if (el.closest('[data-testid=preview-panel]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      const [left, right] = [Math.max(r.left, badge.left), Math.min(r.right, badge.right)];
      const [top, bottom] = [Math.max(r.top, badge.top), Math.min(r.bottom, badge.bottom)];
      if (left >= right || top >= bottom) continue;
      // Only a control the badge lies on top of, and that would be seen there without it
      // (not one scrolled out of its box or lying under the dock anyway), counts.
      const stack = document.elementsFromPoint((left + right) / 2, (top + bottom) / 2);
      const badgeAt = stack.findIndex((e) => e.closest('[data-testid=preview-panel]'));
      const under = stack.find((e) => !e.closest('[data-testid=preview-panel]'));
      if (badgeAt === 0 && under && el.contains(under))
        hits.push(el.dataset.testid ?? el.textContent?.trim() ?? el.tagName);
    }
    return hits;
  });
}

for (const orientation of Object.keys(ORIENTATIONS) as Orientation[]) {
  test(`the problems badge covers no control on any screen (${orientation})`, async ({
    page,
    preview,
    dir,
  }) => {
    test.setTimeout(90_000);
    await page.setViewportSize(ORIENTATIONS[orientation]);
    const file = path.join(dir, 'exhibit.yaml');
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    // A typo in a key: the badge lists the problem while the last good version stays on screen.
    await writeFile(file, (await readFile(file, 'utf8')).replace('dateLabel:', 'datelabel:'));
    await expect(page.getByTestId('preview-problems')).toContainText('exhibit.yaml:');
    await expect(page.getByTestId('preview-problems')).toBeVisible();

    const seen: string[] = [];
    const check = async (where: string) => {
      await page.waitForTimeout(400);
      seen.push(where);
      expect(await covered(page), `controls under the badge on ${where}`).toEqual([]);
    };
    await check('attract');
    const { width, height } = ORIENTATIONS[orientation];
    await tap(page, { x: width / 2, y: height / 2 });
    await expect(page.getByTestId('home')).toBeVisible();
    await check('home');
    await tapOn(page, '[data-testid=chapter-card] >> nth=1');
    await expect(page.getByTestId('chapter')).toBeVisible();
    await check('chapter');
    if ((await page.getByTestId('chapter-image').count()) > 0) {
      await tapOn(page, '[data-testid=chapter-image]');
      await expect(page.getByTestId('viewer')).toBeVisible();
      await check('viewer');
      await tapOn(page, '[data-testid=viewer-close]');
    }
    for (const extra of ['timeline', 'numbers', 'map', 'credits']) {
      await tapOn(page, '[data-testid=home-button]');
      await expect(page.getByTestId('home')).toBeVisible();
      if ((await page.getByTestId(`extra-${extra}`).count()) === 0) continue;
      await tapOn(page, `[data-testid=extra-${extra}]`);
      await expect(page.getByTestId('extra-screen')).toHaveAttribute('data-extra', extra);
      await check(extra);
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: test.info().outputPath(`badge-${orientation}.png`) });
  });
}
