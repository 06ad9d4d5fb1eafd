/**
 * The first screen after a power-on: drawn from the page the host served (no
 * second request for the exhibit), with its words set in their own faces from
 * the first frame (no face found late, no words set twice), and still drawn
 * when the page carries no usable exhibit.
 */
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
  await page.route(preview.url, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace(
      /(<script type="application\/json" id="vitrine-exhibit">)[\s\S]*?(<\/script>)/,
      '$1{"version":"1","exhibit":{"tit$2',
    );
    await route.fulfill({ response: res, body: html });
  });
  const asked = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/exhibit');
  await page.goto(preview.url);
  await asked;
  await expect(page.getByTestId('attract-slide').first()).toBeVisible();
});
