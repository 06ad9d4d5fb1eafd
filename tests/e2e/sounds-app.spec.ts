/**
 * The kiosk's own sounds in the whole app (browser host, bundled exhibit, real screens), touched
 * through CDP: what a visitor hears when they press a control, turn a page by swipe or by Next,
 * or touch the words. Each sound is caught where it starts, at the Web Audio source node, and
 * named by the file its buffer was decoded from, so a sound that is asked for but never starts
 * (not yet loaded, context asleep) is not heard here either.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { startPreview } from '../../main/cli/preview.js';
import { openIllustratedPair, pairWithPictures } from './chapter-helpers.js';
import { servedExhibit } from './exhibit-data.js';
import { expect, screenOf, test } from './kiosk-fixture.js';
import { centreOf, swipe, tap, tapOn } from './touch.js';

/** Runs in the page before its scripts: records every buffer source that starts, by its file. */
function listen(): void {
  const heard: string[] = [];
  (window as unknown as { __heard: typeof heard }).__heard = heard;
  const fileOf = new WeakMap<ArrayBuffer, string>();
  const bufferFile = new WeakMap<AudioBuffer, string>();
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    const url = String(args[1]);
    this.addEventListener('load', () => {
      if (this.response instanceof ArrayBuffer) fileOf.set(this.response, url);
    });
    return (open as (...a: unknown[]) => void).apply(this, args);
  } as typeof open;
  const decode = BaseAudioContext.prototype.decodeAudioData;
  BaseAudioContext.prototype.decodeAudioData = function (
    this: BaseAudioContext,
    data: ArrayBuffer,
    ok?: DecodeSuccessCallback | null,
    fail?: DecodeErrorCallback | null,
  ) {
    const file = fileOf.get(data);
    const tag = (b: AudioBuffer) => {
      if (file) bufferFile.set(b, file);
      return b;
    };
    return decode.call(this, data, ok ? (b) => ok(tag(b)) : ok, fail).then(tag);
  };
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (
    this: AudioBufferSourceNode,
    ...args: Parameters<AudioBufferSourceNode['start']>
  ) {
    const file = this.buffer ? bufferFile.get(this.buffer) : undefined;
    // Howler's silent one-sample unlock buffer has no file: it is not something a visitor hears.
    if (file) heard.push(/\/(\w+)(-[\w-]+)?\.\w+$/.exec(file)?.[1] ?? file);
    return start.apply(this, args);
  };
}

async function heard(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __heard: string[] }).__heard);
}

/** What is heard from now until nothing more starts for a while. */
async function heardAfter(page: Page, act: () => Promise<void>): Promise<string[]> {
  const before = (await heard(page)).length;
  await act();
  let seen = -1;
  // Sounds start within a frame or two of the touch; 600 ms of quiet means the act is over.
  for (let quiet = 0; quiet < 3;) {
    await page.waitForTimeout(200);
    const now = (await heard(page)).length;
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
  }
  return (await heard(page)).slice(before);
}

test('a visitor hears each press and each page turn once, and nothing for touching the words', async ({
  page,
  preview,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(listen);
  await page.goto(preview.url);
  await expect(page.getByTestId('attract')).toBeVisible();
  const exhibit = await servedExhibit(preview.url);
  const at = pairWithPictures(exhibit);
  expect(at + 2, 'two chapters to turn to').toBeLessThan(exhibit.chapters.length);
  const { width, height } = page.viewportSize()!;
  const chapter = page.getByTestId('chapter');
  // Whatever the touch that ends the attract loop plays, it is over before the first check.
  await heardAfter(page, async () => {
    await tap(page, { x: width / 2, y: height / 2 });
    await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
  });

  // Opening a chapter from Home, and going back, are presses, not page turns, whichever chapter
  // was open before.
  for (const card of [1, at]) {
    const card$ = `[data-testid=chapter-card] >> nth=${card}`;
    await page.locator(card$).scrollIntoViewIfNeeded();
    expect(
      await heardAfter(page, async () => {
        await tapOn(page, card$);
        await expect(chapter).toHaveAttribute('data-index', String(card));
      }),
    ).toEqual(['tap']);
    if (card === at) break;
    expect(
      await heardAfter(page, async () => {
        await tapOn(page, '[data-testid=home-button]');
        await expect(screenOf(page)).toHaveAttribute('data-screen', 'home');
      }),
    ).toEqual(['tap']);
  }
  await expect(page.locator('[data-leaving]')).toHaveCount(0);

  // Touching the words is reading, not pressing: silence.
  expect(await heardAfter(page, () => tapOn(page, '[data-testid=chapter-text]'))).toEqual([]);

  // A swipe turns the page: its sound, and no press.
  expect(
    await heardAfter(page, async () => {
      await swipe(page, { x: width * 0.8, y: height * 0.4 }, { x: width * 0.2, y: height * 0.4 });
      await expect(chapter).toHaveAttribute('data-index', String(at + 1));
    }),
  ).toEqual(['turn']);

  // Next is a press that turns the page: one of each.
  expect(
    (
      await heardAfter(page, async () => {
        await tapOn(page, '[data-testid=next]');
        await expect(chapter).toHaveAttribute('data-index', String(at + 2));
      })
    ).sort(),
  ).toEqual(['tap', 'turn']);

  // The language switch is a press that turns nothing.
  expect(
    await heardAfter(page, async () => {
      await tapOn(page, '[data-testid=lang-switch] [data-lang=ru]');
      await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
    }),
  ).toEqual(['tap']);

  // A swipe that comes back (too short to turn) is no turn.
  const mid = await centreOf(page, '[data-testid=chapter-text]');
  expect(
    await heardAfter(page, () => swipe(page, mid, { x: mid.x - 60, y: mid.y }, { steps: 6, ms: 400 })),
  ).toEqual([]);
  await expect(chapter).toHaveAttribute('data-index', String(at + 2));
  expect(errors).toEqual([]);
});

test('with the interface sounds switched off in the exhibit, a press that turns the page is silent', async ({
  page,
}) => {
  const work = await mkdtemp(path.join(tmpdir(), 'vitrine-sounds-e2e-'));
  const content = path.join(work, 'exhibit');
  await cp(path.resolve(import.meta.dirname, '../../assets/exhibit'), content, { recursive: true });
  const file = path.join(content, 'exhibit.yaml');
  const yaml = await readFile(file, 'utf8');
  expect(yaml).toContain('\nsettings:\n');
  await writeFile(file, yaml.replace('\nsettings:\n', '\nsettings:\n  audio:\n    uiSounds: false\n'));
  const preview = await startPreview({ port: 0, contentDir: content, watch: false, quiet: true });
  try {
    await page.addInitScript(listen);
    await page.goto(preview.url);
    await expect(page.getByTestId('attract')).toBeVisible();
    const { at } = await openIllustratedPair(page, preview.url);
    const played = await heardAfter(page, async () => {
      await tapOn(page, '[data-testid=next]');
      await expect(page.getByTestId('chapter')).toHaveAttribute('data-index', String(at + 1));
    });
    expect(played).toEqual([]);
  } finally {
    await preview.close();
    await rm(work, { recursive: true, force: true });
  }
});
