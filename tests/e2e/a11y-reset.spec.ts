/**
 * The idle reset returns every access mode to its default, closes the menu and silences the guide.
 */
import { axe, closeMenu, leaveAttract, MODES, openMenu, switchOn } from './a11y-helpers';
import { expect, test } from './kiosk-fixture';
import { tapOn } from './touch';

test.use({ idleSeconds: 5, countdownSeconds: 3 });

test.describe('idle reset', () => {
  test('returns every mode to its default, closes the menu and silences the guide', async ({
    kiosk: page,
  }) => {
    await leaveAttract(page);
    await openMenu(page);
    for (const mode of ['largeText', 'highContrast', 'reducedMotion', 'audioGuide']) {
      await tapOn(page, `[data-testid=access-toggle-${mode}]`);
      await expect(page.getByTestId(`access-toggle-${mode}`)).toHaveAttribute('aria-checked', 'true');
    }
    await closeMenu(page);
    await expect(page.locator('html')).toHaveClass(/large-text/);
    await tapOn(page, '[data-testid=guide-read]');
    await expect(page.getByTestId('guide-spoken')).not.toBeEmpty();
    await openMenu(page);
    // Nobody touches the screen: the countdown runs out and the kiosk resets itself.
    await expect(page.getByTestId('attract')).toBeVisible({ timeout: 20_000 });
    const classes = await page.locator('html').getAttribute('class');
    expect(classes ?? '').not.toMatch(/large-text|high-contrast|reduced-motion|audio-guide/);
    await expect(page.getByTestId('access-panel')).toHaveCount(0);
    await expect(page.getByTestId('guide-spoken')).toHaveCount(0);
    await expect(page.getByTestId('guide-read')).toHaveCount(0);
  });
});
