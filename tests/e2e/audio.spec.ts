/**
 * Narration in real Chromium: the real audio service, Listen control, caption bar, mute
 * toggle and language switch, the real kiosk state and idle timer, and the bundled Ogg
 * narration and WebVTT captions, touched through CDP touch events.
 *
 * The components are mounted on a small page built here with Vite, so this runs whatever
 * screen the renderer mounts them on; the page connects the audio to the visit and the idle
 * timer's expiry to the visit's reset, as App.svelte does.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, preview, type PreviewServer } from 'vite';
import { captionAt, parseCaptions, type Caption } from '../../src/lib/audio/captions.js';
import { centreOf, tapOn } from './touch.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HARNESS = join(ROOT, 'tests/.output/audio-harness');
const EXHIBIT = join(ROOT, 'assets/exhibit');
const IDLE_SECONDS = 20;
const COUNTDOWN_SECONDS = 5;

const narration = JSON.parse(readFileSync(join(EXHIBIT, 'media/narration/narration.json'), 'utf8')) as Record<
  string,
  Record<string, { audio: string; captions: string }>
>;
const FIRST = Object.keys(narration)[0]!;

async function captionsFor(chapter: string, lang: string): Promise<Caption[]> {
  return parseCaptions(readFileSync(join(EXHIBIT, narration[chapter]![lang]!.captions), 'utf8'));
}

const FILES: Record<string, string> = {
  'index.html': `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Vitrine audio</title></head>
<body><div id="app"></div><script type="module" src="./main.ts"></script></body></html>`,
  'main.ts': `import '../../../src/styles/tokens.css';
import '../../../src/styles/global.css';
import { mount } from 'svelte';
import Harness from './Harness.svelte';
mount(Harness, { target: document.getElementById('app')! });`,
  'Harness.svelte': `<script lang="ts">
  import { Howler } from 'howler';
  import AudioDock from '../../../src/components/audio/AudioDock.svelte';
  import CaptionBar from '../../../src/components/audio/CaptionBar.svelte';
  import LangSwitch from '../../../src/components/LangSwitch.svelte';
  import { audio } from '../../../src/lib/audio/audio.svelte';
  import { idle } from '../../../src/lib/idle.svelte';
  import { kiosk } from '../../../src/lib/kiosk.svelte';
  import { visit } from '../../../src/lib/visit.svelte';
  import narration from '../../../assets/exhibit/media/narration/narration.json';

  const chapters = Object.entries(narration).map(([id, n]) => ({ id, narration: n }));
  kiosk.configure({ defaultLang: 'en', chapterCount: chapters.length });
  kiosk.openChapter(0);
  idle.configure(${IDLE_SECONDS}, ${COUNTDOWN_SECONDS});
  idle.setEnabled(true);
  idle.onExpire(() => visit.reset());
  audio.connect(visit, kiosk, idle);
  const chapter = $derived(chapters[kiosk.chapter]);
  (window as any).__audio = { Howler, audio, kiosk, idle, visit };
</script>

<svelte:window onpointerdowncapture={() => idle.phase === 'active' && idle.activity()} />
<main data-testid="harness" data-screen={kiosk.screen} data-idle={idle.phase}>
  <h1>{chapter.id}</h1>
  <div class="stage"></div>
  <CaptionBar lang={kiosk.lang} credit={chapter.narration[kiosk.lang]?.credit[kiosk.lang]} />
  <div class="controls">
    <AudioDock {chapter} lang={kiosk.lang} chapterIndex={kiosk.chapter} />
    <LangSwitch languages={['en', 'ru']} lang={kiosk.lang} onChange={(l) => kiosk.setLang(l)} />
  </div>
</main>

<style>
  main { position: fixed; inset: 0; display: flex; flex-direction: column; background: var(--ink); color: var(--paper); }
  h1 { font-family: var(--font-serif); font-size: 56px; margin: 0; padding: 48px 64px; }
  .stage { flex: 1; }
  .controls { display: flex; gap: 24px; align-items: center; padding: 20px 64px; border-top: 1px solid var(--line); }
</style>
`,
};

let server: PreviewServer;
let url: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  mkdirSync(HARNESS, { recursive: true });
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(HARNESS, name), text);
  const outDir = join(HARNESS, 'dist');
  const config = {
    root: HARNESS,
    configFile: false as const,
    logLevel: 'warn' as const,
    plugins: [svelte()],
    // The exhibit folder is served as-is, so /media/... is the bundled narration.
    publicDir: EXHIBIT,
    build: { outDir, emptyOutDir: true, target: 'chrome120' },
  };
  await build(config);
  server = await preview({ ...config, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  url = server.resolvedUrls!.local[0]!;
});

test.afterAll(async () => {
  await server?.close();
});

const pageErrors = new WeakMap<Page, string[]>();

async function open(page: Page): Promise<void> {
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.getByTestId('listen')).toBeVisible();
}

test.afterEach(({ page }) => {
  expect(pageErrors.get(page) ?? [], 'no uncaught errors on the page').toEqual([]);
});

/** Whether the interface sound `name` (its file is named after it) is loaded and ready to play. */
function uiSoundLoaded(page: Page, name: 'tap' | 'turn'): Promise<boolean> {
  return page.evaluate(
    (n) =>
      (window as any).__audio.Howler._howls.some(
        (h: any) => String(h._src).includes(`/${n}-`) && h.state() === 'loaded',
      ),
    name,
  );
}

/** The narration's own clock and the caption on screen, read in the same frame. */
function sample(page: Page) {
  return page.evaluate(() => {
    const { Howler } = (window as any).__audio;
    const howl = Howler._howls.find((h: any) => h._html5);
    return {
      t: howl ? (howl.seek() as number) : -1,
      text: document.querySelector('[data-testid=caption-text]')?.textContent ?? null,
    };
  });
}

/** Every caption that should be on screen for a sample at `t` (the bar follows within 0.3 s). */
function expectedAt(cues: Caption[], t: number): string[] {
  return [t, t - 0.15, t - 0.3].map((x) => captionAt(cues, x)?.text ?? '');
}

async function expectCaptionsInStep(page: Page, cues: Caption[]): Promise<void> {
  const caption = page.getByTestId('caption-text');
  // The title is spoken first, then the first sentence of the body replaces it.
  await expect(caption).toHaveText(cues[0]!.text);
  await expect(caption).toHaveText(cues[1]!.text, { timeout: 15_000 });
  for (let i = 0; i < 6; i++) {
    const { t, text } = await sample(page);
    expect(t).toBeGreaterThan(0);
    expect(expectedAt(cues, t)).toContain(text);
    await page.waitForTimeout(250);
  }
}

test.describe('narration', () => {
  test.use({ viewport: { width: 1920, height: 1080 }, hasTouch: true });

  test('plays with captions in step, in English and then in Russian', async ({ page }) => {
    await open(page);
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
    await expectCaptionsInStep(page, await captionsFor(FIRST, 'en'));
    await page.screenshot({ path: test.info().outputPath('narration-en-landscape.png') });

    // Switching language stops the English voice at once...
    await tapOn(page, '[data-lang=ru]');
    await expect(page.locator('[data-lang=ru]')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'idle');
    await expect(page.getByTestId('caption-bar')).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).__audio.Howler._howls.some((h: any) => h._html5))).toBe(
      false,
    );

    // ...and Listen now reads the chapter in Russian.
    await expect(page.getByTestId('listen')).toHaveAccessibleName('Слушать эту главу вслух');
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
    await expectCaptionsInStep(page, await captionsFor(FIRST, 'ru'));
    await page.setViewportSize({ width: 1080, height: 1920 });
    await page.screenshot({ path: test.info().outputPath('narration-ru-portrait.png') });

    // Listen again stops it.
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'idle');
    await expect(page.getByTestId('caption-bar')).toHaveCount(0);
  });

  test('the controls and captions pass axe (WCAG 2.2 AA) in both languages', async ({ page }) => {
    await open(page);
    const axe = () =>
      new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect((await axe()).violations).toEqual([]);
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('caption-text')).not.toBeEmpty({ timeout: 15_000 });
    expect((await axe()).violations).toEqual([]);
    await tapOn(page, '[data-lang=ru]');
    // The controls' Russian labels move them: find them once the switch has taken effect.
    await expect(page.locator('[data-lang=ru]')).toHaveAttribute('aria-pressed', 'true');
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('caption-text')).not.toBeEmpty({ timeout: 15_000 });
    expect((await axe()).violations).toEqual([]);
  });

  test('the idle timer waits while narration plays, and runs again once it stops', async ({ page }) => {
    await page.clock.install();
    await open(page);
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });

    // Far past the idle time and the countdown: no "Still there?", no reset, the voice goes on.
    await page.clock.fastForward((IDLE_SECONDS + COUNTDOWN_SECONDS) * 2 * 1000);
    const harness = page.getByTestId('harness');
    await expect(harness).toHaveAttribute('data-idle', 'active');
    await expect(harness).toHaveAttribute('data-screen', 'chapter');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing');

    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'idle');
    await page.clock.fastForward(IDLE_SECONDS * 1000 + 500);
    await expect(harness).toHaveAttribute('data-idle', 'warning');
    await page.clock.fastForward(COUNTDOWN_SECONDS * 1000 + 500);
    await expect(harness).toHaveAttribute('data-screen', 'attract');
  });

  test('the audio stays awake through a visit, and sleeps again between visits', async ({ page }) => {
    // Howler suspends the audio after 30 s of silence and holds a sound back until it wakes: a
    // visitor's tap after a long read would click late.
    await page.clock.install();
    await open(page);
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=mute-toggle]');
    const state = () => page.evaluate(() => (window as any).__audio.Howler.ctx.state as string);
    await expect.poll(state).toBe('running');
    await expect.poll(() => uiSoundLoaded(page, 'tap')).toBe(true);
    // A click (the press that mutes is still heard; the one that unmutes is not), then three
    // quarters of a minute reading, touching only the words, which make no sound.
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=mute-toggle]');
    await expect(page.getByTestId('mute-toggle')).toHaveAttribute('aria-pressed', 'false');
    for (let i = 0; i < 3; i++) {
      await page.clock.fastForward(15_000);
      await tapOn(page, 'h1');
    }
    await expect(page.getByTestId('harness')).toHaveAttribute('data-screen', 'chapter');
    expect(await state()).toBe('running');

    await page.evaluate(() => {
      const { idle, visit } = (window as any).__audio;
      visit.reset();
      // As the kiosk does on the attract loop: no idle timer (here it would reset the visit again).
      idle.setEnabled(false);
    });
    await expect(page.getByTestId('harness')).toHaveAttribute('data-screen', 'attract');
    await page.clock.runFor(35_000);
    await expect.poll(state).toBe('suspended');
  });

  test('a press on any control is heard once, whether the control acts on the lift or on its click', async ({
    page,
  }) => {
    await open(page);
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=mute-toggle]');
    await expect.poll(() => uiSoundLoaded(page, 'tap')).toBe(true);
    await page.evaluate(() => {
      const w = window as any;
      const service = w.__audio.audio.service;
      const real = service.playUi.bind(service);
      w.__ui = [];
      service.playUi = (name: string) => {
        w.__ui.push(name);
        real(name);
      };
    });
    const heard = async () => {
      await page.waitForTimeout(400);
      return page.evaluate(() => (window as any).__ui.splice(0) as string[]);
    };
    // The language switch acts when the finger lifts and swallows the click that follows.
    await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
    expect(await heard()).toEqual(['tap']);
    const en = await centreOf(page, '[data-testid=lang-switch] [data-lang=en]');
    await page.mouse.click(en.x, en.y);
    expect(await heard()).toEqual(['tap']);
    await page.locator('[data-testid=lang-switch] [data-lang=ru]').focus();
    await page.keyboard.press('Enter');
    expect(await heard()).toEqual(['tap']);
    expect(await page.evaluate(() => (window as any).__audio.kiosk.lang)).toBe('ru');
    // The mute toggle acts on its click.
    await tapOn(page, '[data-testid=mute-toggle]');
    expect(await heard()).toEqual(['tap']);
    // Touching the words is no press.
    await tapOn(page, 'h1');
    expect(await heard()).toEqual([]);
  });

  test('a page turn is heard once, from the frame that starts the turn', async ({ page }) => {
    await open(page);
    // Real touches give the page the user activation audio needs, and load the UI sounds.
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=mute-toggle]');
    await expect.poll(() => uiSoundLoaded(page, 'turn')).toBe(true);
    const heard = await page.evaluate(async () => {
      const { Howler, audio, kiosk } = (window as any).__audio;
      let frames = 0;
      const tick = () => {
        frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      const calls: { name: string; frames: number; playing: boolean }[] = [];
      const real = audio.service.playUi.bind(audio.service);
      const at = frames;
      audio.service.playUi = (name: string) => {
        real(name);
        const howl = Howler._howls.find((h: any) => new RegExp(name).test(String(h._src)));
        calls.push({ name, frames: frames - at, playing: Boolean(howl?.playing()) });
      };
      kiosk.next();
      await new Promise((r) => setTimeout(r, 600));
      return calls;
    });
    expect(heard.map((c) => [c.name, c.playing])).toEqual([['turn', true]]);
    // Not in the turn's own task, which would hold back the frame that starts the page moving.
    expect(heard[0]!.frames).toBeGreaterThanOrEqual(1);
    expect(heard[0]!.frames).toBeLessThanOrEqual(3);
  });

  test('turning the page or leaving the chapter stops the voice', async ({ page }) => {
    await open(page);
    const narrating = () => page.evaluate(() => (window as any).__audio.audio.narration as string | null);
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
    await page.evaluate(() => (window as any).__audio.kiosk.next());
    await expect(page.getByTestId('caption-bar')).toHaveCount(0);
    expect(await narrating()).toBeNull();

    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
    // The image viewer is still the chapter: the voice goes on there.
    await page.evaluate(() => (window as any).__audio.kiosk.openViewer(0));
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing');
    await page.evaluate(() => (window as any).__audio.kiosk.home());
    await expect(page.getByTestId('caption-bar')).toHaveCount(0);
    expect(await narrating()).toBeNull();
  });

  test('reset stops narration, unloads every Howl and unmutes', async ({ page }) => {
    await open(page);
    await tapOn(page, '[data-testid=mute-toggle]');
    await expect(page.getByTestId('mute-toggle')).toHaveAttribute('aria-pressed', 'true');
    await tapOn(page, '[data-testid=listen]');
    await expect(page.getByTestId('listen')).toHaveAttribute('data-state', 'playing', { timeout: 15_000 });
    await expect(page.getByTestId('caption-text')).not.toBeEmpty();

    // What the idle timer does at zero.
    await page.evaluate(() => (window as any).__audio.visit.reset());
    await expect(page.getByTestId('harness')).toHaveAttribute('data-screen', 'attract');
    await expect(page.getByTestId('caption-bar')).toHaveCount(0);
    const after = await page.evaluate(() => {
      const { Howler, audio } = (window as any).__audio;
      return {
        howls: Howler._howls.length,
        muted: audio.muted,
        playing: audio.playing,
        masterMuted: Howler._muted,
      };
    });
    expect(after).toEqual({ howls: 0, muted: false, playing: false, masterMuted: false });
  });

  test('a staff mute outlasts the reset, with no late re-mute', async ({ page }) => {
    await open(page);
    await page.evaluate(() => (window as any).__audio.visit.setStaffMuted(true));
    await expect(page.getByTestId('mute-toggle')).toHaveAttribute('aria-pressed', 'true');
    const muted = () =>
      page.evaluate(() => {
        const { Howler, audio } = (window as any).__audio;
        return { muted: audio.muted, masterMuted: Howler._muted };
      });
    // Read in the same task as the reset: nothing may unmute, even for a moment.
    const atReset = await page.evaluate(() => {
      const { Howler, audio, visit } = (window as any).__audio;
      visit.reset();
      return { muted: audio.muted, masterMuted: Howler._muted };
    });
    expect(atReset).toEqual({ muted: true, masterMuted: true });
    await expect(page.getByTestId('harness')).toHaveAttribute('data-screen', 'attract');
    expect(await muted()).toEqual({ muted: true, masterMuted: true });

    await page.evaluate(() => (window as any).__audio.visit.setStaffMuted(false));
    expect(await muted()).toEqual({ muted: false, masterMuted: false });
  });

  test('the Howl count returns to baseline after 500 UI sounds and 100 narrations', async ({ page }) => {
    test.setTimeout(120_000);
    await open(page);
    // One real touch gives the page the user activation that audio needs.
    await tapOn(page, '[data-testid=mute-toggle]');
    await tapOn(page, '[data-testid=mute-toggle]');
    const result = await page.evaluate(
      async ({ entry, captions }) => {
        const { Howler, audio } = (window as any).__audio;
        const service = audio.service;
        service.reset();
        const baseline = Howler._howls.length;
        service.preloadUi();
        await new Promise((r) => setTimeout(r, 300));
        for (let i = 0; i < 500; i++) service.playUi(i % 2 ? 'tap' : 'turn');
        const errors: string[] = [];
        for (let i = 0; i < 100; i++) {
          await service.playNarration({ key: `k${i}`, lang: 'en', audio: entry, captions });
          if (service.status.error) errors.push(service.status.error);
          service.stopNarration();
        }
        await new Promise((r) => setTimeout(r, 500));
        const peak = Howler._howls.length;
        service.reset();
        return { baseline, peak, after: Howler._howls.length, errors };
      },
      { entry: '/' + narration[FIRST]!.en!.audio, captions: '/' + narration[FIRST]!.en!.captions },
    );
    expect(result.errors).toEqual([]);
    // Two UI Howls, no narration left over.
    expect(result.peak).toBe(result.baseline + 2);
    expect(result.after).toBe(result.baseline);
  });
});
