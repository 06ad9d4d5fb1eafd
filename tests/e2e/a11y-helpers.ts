/** Shared steps of the accessibility specs: switching modes as a visitor does, and running axe. */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, screenOf } from './kiosk-fixture';
import { tap, tapOn } from './touch';

export const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const MODES = ['default', 'largeText', 'highContrast', 'reducedMotion'] as const;
/** A look the screens are judged in, or the audio guide (which adds its Read aloud button). */
export type Mode = (typeof MODES)[number] | 'audioGuide';
export const MODE_CLASS = {
  largeText: 'large-text',
  highContrast: 'high-contrast',
  reducedMotion: 'reduced-motion',
  audioGuide: 'audio-guide',
};
export const EXTRAS = ['timeline', 'numbers', 'map', 'credits'] as const;

/**
 * Waits until no short, finite animation is running: screens fade and slide in before they are
 * judged. Transitions are left out: live readouts (the countdown ring) restart theirs every tick.
 */
export async function settled(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          document
            .getAnimations()
            .filter((a) => !(a instanceof CSSTransition) && a.playState === 'running')
            .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
            .filter((a) => Number(a.effect?.getComputedTiming().duration ?? 0) < 5000).length,
      ),
    )
    .toBe(0);
}

export async function leaveAttract(page: Page) {
  const { width, height } = page.viewportSize()!;
  await tap(page, { x: width / 2, y: height / 3 });
  await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
}

export async function openMenu(page: Page) {
  await tapOn(page, '[data-testid=access-button]');
  await expect(page.getByTestId('access-panel')).toBeVisible();
}

export async function closeMenu(page: Page) {
  await tapOn(page, '[data-testid=access-close]');
  await expect(page.getByTestId('access-panel')).toHaveCount(0);
}

/** Switches `mode` on through the access menu, as a visitor would (from home). */
export async function switchOn(page: Page, mode: Mode | 'audioGuide') {
  if (mode === 'default') return;
  await openMenu(page);
  const toggle = page.getByTestId(`access-toggle-${mode}`);
  if ((await toggle.getAttribute('aria-checked')) !== 'true')
    await tapOn(page, `[data-testid=access-toggle-${mode}]`);
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await closeMenu(page);
  await expect(page.locator('html')).toHaveClass(new RegExp(`\\b${MODE_CLASS[mode]}\\b`));
}

/** axe's WCAG A/AA findings on the page as it is now, one line per rule. */
export async function axe(page: Page, where: string): Promise<string[]> {
  await settled(page);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return describe(violations, where);
}

/**
 * axe's "label in name" findings (WCAG 2.5.3: a control's accessible name contains the words it
 * shows). The rule is experimental, which the WCAG tags leave out, so it is asked for by name;
 * `checked` counts the controls it looked at, so a rule that silently did not run cannot pass.
 */
export async function labelInName(
  page: Page,
  where: string,
  exclude: string[] = [],
): Promise<{ found: string[]; checked: number }> {
  await settled(page);
  let builder = new AxeBuilder({ page }).withRules(['label-content-name-mismatch']);
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations, passes } = await builder.analyze();
  return { found: describe(violations, where), checked: passes.reduce((n, r) => n + r.nodes.length, 0) };
}

function describe(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations'], where: string) {
  return violations.map(
    (v) =>
      `${where}: ${v.id} — ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`)
        .join(' | ')}`,
  );
}
