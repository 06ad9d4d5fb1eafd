/**
 * The "Still there?" overlay passes axe in every access mode.
 */
import { axe, closeMenu, leaveAttract, MODES, openMenu, switchOn } from './a11y-helpers';
import { expect, test } from './kiosk-fixture';
import { tapOn } from './touch';

test.use({ idleSeconds: 5, countdownSeconds: 60 });

test.describe('idle', () => {
  for (const mode of MODES) {
    test(`axe finds nothing on the idle overlay in ${mode} mode`, async ({ kiosk: page }) => {
      await leaveAttract(page);
      await switchOn(page, mode);
      await expect(page.getByTestId('idle-overlay')).toBeVisible({ timeout: 15_000 });
      expect(await axe(page, 'idle overlay')).toEqual([]);
    });
  }
});
