/**
 * The editors' preview (`npm run preview -- --content DIR`): a saved edit
 * shows on the running kiosk by itself, a broken save leaves the last good
 * version on screen and lists the problem with its line, and fixing it clears
 * the list.
 */
import { test as base, expect } from '@playwright/test';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPreview, type Preview } from '../../main/cli/preview.js';
import { tap } from './touch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shots = process.env.VITRINE_GUIDE_SHOTS;

const test = base.extend<{ dir: string; preview: Preview }>({
  dir: async ({}, use) => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'vitrine-preview-e2e-'));
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

test.use({ viewport: { width: 1920, height: 1080 }, hasTouch: true });

test('saved edits appear on the preview, and a broken save is listed while the last good version stays', async ({
  page,
  preview,
  dir,
}) => {
  const file = path.join(dir, 'exhibit.yaml');
  const original = await readFile(file, 'utf8');
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  await expect(page.getByTestId('preview-summary')).toContainText('Content is valid');
  await tap(page, { x: 960, y: 540 });
  const card = page.getByTestId('chapter-card').filter({ hasText: 'A pledge to the Allies' });
  await expect(card).toBeVisible();

  // Fix a caption, as the guide says: edit the text, save.
  await writeFile(file, original.replace('en: A pledge to the Allies', 'en: A pledge kept'));
  await expect(page.getByTestId('chapter-card').filter({ hasText: 'A pledge kept' })).toBeVisible();

  // A mistake: a typo in a key. The kiosk keeps the last good text; the panel says where.
  await writeFile(
    file,
    original.replace('en: A pledge to the Allies', 'en: A pledge kept').replace('dateLabel:', 'datelabel:'),
  );
  await expect(page.getByTestId('preview-problems')).toContainText('exhibit.yaml:');
  await expect(page.getByTestId('preview-summary')).toContainText('problem');
  await expect(page.getByTestId('chapter-card').filter({ hasText: 'A pledge kept' })).toBeVisible();
  if (shots) {
    // The guide's picture shows the list opened, as staff see it after touching the strip.
    await page.getByRole('button', { name: 'Show problems' }).click();
    await expect(page.getByTestId('preview-problems')).toBeVisible();
    await page.screenshot({ path: path.join(root, shots, 'preview-problems.png') });
    await page.getByRole('button', { name: 'Hide' }).click();
  }

  await writeFile(file, original);
  await expect(page.getByTestId('preview-summary')).toContainText('Content is valid');
  await expect(card).toBeVisible();

  // The panel runs the full check, not only the schema's: a scan that was never copied is named.
  await writeFile(file, original.replace('media/plates/yalta-agreements.svg', 'media/scans/yalta.jpg'));
  await expect(page.getByTestId('preview-problems')).toContainText('"media/scans/yalta.jpg" does not exist');
});

test('the plain kiosk (not an editor preview) shows no editor panel', async ({ page }) => {
  const kiosk = await startPreview({ port: 0, quiet: true, watch: false });
  try {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    expect((await page.request.get(`${kiosk.url}api/preview/status`)).status()).toBe(404);
    await expect(page.getByTestId('preview-panel')).toHaveCount(0);
  } finally {
    await kiosk.close();
  }
});
