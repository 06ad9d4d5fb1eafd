/**
 * Access modes and the audio guide: classes on <html>, reset to defaults at the
 * kiosk's idle reset, the system's reduced-motion setting, what the guide reads
 * for each screen, and how it speaks (or says it cannot).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadExhibit } from '../../main/content/load.js';
import type { Exhibit } from '../../main/content/schema.js';
import { AccessState, lazyWebSpeech, type MotionQuery } from '../../src/lib/access/access.svelte.js';
import { describeScreen, type GuideView } from '../../src/lib/access/screen-text.js';
import {
  webSpeech,
  type SpeechEngine,
  type SpeakRequest,
  type SpeechOutcome,
} from '../../src/lib/access/speech.js';
import { IdleWatch } from '../../src/lib/idle.svelte.js';
import { Kiosk } from '../../src/lib/kiosk.svelte.js';
import { Visit } from '../../src/lib/visit.svelte.js';

/** The visit the modes register their reset with, as the app's. */
const newVisit = () => new Visit(new Kiosk(), new IdleWatch());
import { t } from '../../src/lib/i18n/index.js';
import accessStrings from '../../src/lib/i18n/access.js';

/** A class list that records what is on. */
function fakeRoot() {
  const on = new Set<string>();
  return {
    on,
    classList: { toggle: (c: string, force?: boolean) => (force ? on.add(c) : on.delete(c), !!force) },
  };
}

/** A media query whose answer the test changes. */
function fakeQuery(matches: boolean) {
  let listener: ((e: { matches: boolean }) => void) | undefined;
  const q: MotionQuery & { change(m: boolean): void } = {
    get matches() {
      return matches;
    },
    addEventListener: (_t, fn) => (listener = fn),
    change(m) {
      matches = m;
      listener?.({ matches: m });
    },
  };
  return q;
}

/** A speech engine under the test's control. */
function fakeEngine(outcome: SpeechOutcome = 'done') {
  const calls: SpeakRequest[] = [];
  let finish: ((o: SpeechOutcome) => void) | undefined;
  const engine: SpeechEngine & { calls: SpeakRequest[]; start(): void; end(o?: SpeechOutcome): void } = {
    calls,
    speak(req) {
      calls.push(req);
      return new Promise((r) => (finish = r));
    },
    cancel: vi.fn(() => finish?.('cancelled')),
    start: () => calls.at(-1)?.onStart?.(),
    end: (o = outcome) => finish?.(o),
  };
  return engine;
}

function fakeIdle() {
  const held = new Set<string>();
  return { held, hold: (r: string) => held.add(r), release: (r: string) => held.delete(r) };
}

describe('access modes', () => {
  it('puts each mode on <html> as a class the moment it is switched', () => {
    const root = fakeRoot();
    const a = new AccessState({ root, engine: fakeEngine(), motionQuery: fakeQuery(false) });
    expect([...root.on]).toEqual([]);
    a.toggle('largeText');
    a.set('highContrast', true);
    a.toggle('reducedMotion');
    expect([...root.on].sort()).toEqual(['high-contrast', 'large-text', 'reduced-motion']);
    a.toggle('largeText');
    expect(root.on.has('large-text')).toBe(false);
    expect(a.changed).toBe(true);
  });

  it('starts reduced motion from the system setting and follows it unless the visitor chose', () => {
    const root = fakeRoot();
    const q = fakeQuery(true);
    const a = new AccessState({ root, engine: fakeEngine(), motionQuery: q });
    expect(a.reducedMotion).toBe(true);
    expect(root.on.has('reduced-motion')).toBe(true);
    expect(a.changed).toBe(false);
    q.change(false);
    expect(a.reducedMotion).toBe(false);
    a.set('reducedMotion', true);
    q.change(false);
    expect(a.reducedMotion, 'a visitor’s choice outlives a system change').toBe(true);
  });

  it('returns every mode to its default at the kiosk’s reset, and closes the menu', () => {
    const root = fakeRoot();
    const visit = newVisit();
    const a = new AccessState({ root, engine: fakeEngine(), motionQuery: fakeQuery(true) });
    a.connect(visit);
    a.set('largeText', true);
    a.set('highContrast', true);
    a.set('reducedMotion', false);
    a.set('audioGuide', true);
    a.menuOpen = true;
    visit.reset();
    expect(a.largeText).toBe(false);
    expect(a.highContrast).toBe(false);
    expect(a.audioGuide).toBe(false);
    expect(a.reducedMotion, 'back to the system setting').toBe(true);
    expect(a.menuOpen).toBe(false);
    expect([...root.on]).toEqual(['reduced-motion']);
  });
});

describe('audio guide', () => {
  const parts = ['Chapter 1 of 14', 'The Soviet Union enters the war'];

  it('shows what it reads, stops narration, and holds the idle timer only while speaking', async () => {
    const engine = fakeEngine();
    const idle = fakeIdle();
    const stopNarration = vi.fn();
    const a = new AccessState({ engine, motionQuery: fakeQuery(false), setTimer: () => () => {} });
    a.connect(newVisit(), idle, { volume: () => 0.6, stopNarration });
    const done = a.read(parts, 'en');
    expect(a.spoken).toEqual(parts);
    expect(stopNarration).toHaveBeenCalled();
    expect(a.status).toBe('preparing');
    expect(idle.held.size, 'no hold before a voice is heard').toBe(0);
    expect(engine.calls[0]).toMatchObject({ parts, lang: 'en', volume: 0.6 });
    engine.start();
    expect(a.status).toBe('speaking');
    expect(idle.held.has('audio-guide')).toBe(true);
    engine.end('done');
    await done;
    expect(a.status).toBe('idle');
    expect(idle.held.size).toBe(0);
  });

  it('says speech is unavailable and keeps the text on screen', async () => {
    const engine = fakeEngine();
    const a = new AccessState({ engine, motionQuery: fakeQuery(false) });
    const done = a.read(parts, 'ru');
    engine.end('unavailable');
    await done;
    expect(a.status).toBe('unavailable');
    expect(a.spoken).toEqual(parts);
  });

  it('stays silent when the kiosk is muted, but still shows the text', async () => {
    const engine = fakeEngine();
    const a = new AccessState({ engine, motionQuery: fakeQuery(false) });
    a.connect(newVisit(), fakeIdle(), { volume: () => 0, stopNarration: () => {} });
    await a.read(parts, 'en');
    expect(engine.calls).toHaveLength(0);
    expect(a.status).toBe('muted');
    expect(a.spoken).toEqual(parts);
  });

  it('stops speaking and releases the idle timer at reset', async () => {
    const engine = fakeEngine();
    const idle = fakeIdle();
    const visit = newVisit();
    const a = new AccessState({ engine, motionQuery: fakeQuery(false), setTimer: () => () => {} });
    a.connect(visit, idle, { volume: () => 1, stopNarration: () => {} });
    a.set('audioGuide', true);
    const done = a.read(parts, 'en');
    engine.start();
    expect(idle.held.size).toBe(1);
    visit.reset();
    await done;
    expect(engine.cancel).toHaveBeenCalled();
    expect(idle.held.size).toBe(0);
    expect(a.spoken).toEqual([]);
    expect(a.status).toBe('idle');
  });

  it('gives up a synthesiser that never reports its end, so the kiosk can still reset', () => {
    const engine = fakeEngine();
    const idle = fakeIdle();
    let fire: (() => void) | undefined;
    const a = new AccessState({
      engine,
      motionQuery: fakeQuery(false),
      setTimer: (fn) => ((fire = fn), () => {}),
    });
    a.connect(newVisit(), idle, { volume: () => 1, stopNarration: () => {} });
    void a.read(parts, 'en');
    engine.start();
    expect(idle.held.size).toBe(1);
    fire!();
    expect(idle.held.size).toBe(0);
    expect(a.status).toBe('idle');
  });
});

describe('what the guide reads', () => {
  let exhibit: Exhibit;
  beforeAll(async () => {
    const res = await loadExhibit(fileURLToPath(new URL('../../assets/exhibit', import.meta.url)));
    if (!res.ok) throw new Error('bundled exhibit does not load');
    exhibit = res.exhibit;
  });
  const view = (v: Partial<GuideView>): GuideView => ({
    screen: 'chapter',
    chapter: 0,
    image: 0,
    viewer: false,
    idleWarning: false,
    lang: 'en',
    ...v,
  });

  it('reads a chapter: position, date, title, image description and caption, then the text', () => {
    const i = exhibit.chapters.findIndex((c) => c.images.length > 0);
    const c = exhibit.chapters[i]!;
    const parts = describeScreen(exhibit, view({ chapter: i }), t);
    expect(parts[0]).toBe(`Chapter ${i + 1} of ${exhibit.chapters.length}`);
    expect(parts).toContain(c.title.en);
    expect(parts).toContain(`Image: ${c.images[0]!.alt.en}`);
    expect(parts).toContain(c.images[0]!.caption.en);
    expect(parts.at(-1)).toBe(c.body.at(-1)!.en);
    expect(parts.indexOf(c.title.en!)).toBeLessThan(parts.indexOf(c.images[0]!.caption.en!));
  });

  it('reads the viewer’s image in Russian when the visitor chose Russian', () => {
    const i = exhibit.chapters.findIndex((c) => c.images.length > 0);
    const im = exhibit.chapters[i]!.images[0]!;
    const parts = describeScreen(
      exhibit,
      view({ screen: 'viewer', chapter: i, viewer: true, lang: 'ru' }),
      t,
    );
    expect(parts).toEqual([`Изображение: ${im.alt.ru}`, im.caption.ru, `Источник: ${im.credit.ru}`]);
  });

  it('reads home’s chapters, the extras’ titles, and the countdown above all else', () => {
    const home = describeScreen(exhibit, view({ screen: 'home' }), t);
    expect(home[0]).toBe(exhibit.title.en);
    expect(home).toContain(`1. ${exhibit.chapters[0]!.title.en}, ${exhibit.chapters[0]!.dateLabel.en}`);
    expect(describeScreen(exhibit, view({ screen: 'timeline' }), t)[0]).toBe('Timeline');
    expect(describeScreen(exhibit, view({ screen: 'map', idleWarning: true }), t)[0]).toBe('Still there?');
  });
});

describe('Web Speech engine', () => {
  class FakeUtterance {
    voice: unknown;
    lang = '';
    volume = 1;
    rate = 1;
    onstart: (() => void) | null = null;
    onend: (() => void) | null = null;
    onerror: ((e: { error: string }) => void) | null = null;
    constructor(public text: string) {}
  }
  const host = (voices: { lang: string; localService: boolean; name: string }[]) => {
    const queue: FakeUtterance[] = [];
    return {
      queue,
      speechSynthesis: {
        getVoices: () => voices,
        speak: (u: FakeUtterance) => queue.push(u),
        cancel: vi.fn(),
        addEventListener: () => {},
        removeEventListener: () => {},
      } as unknown as SpeechSynthesis,
      SpeechSynthesisUtterance: FakeUtterance as unknown as typeof SpeechSynthesisUtterance,
    };
  };

  it('answers unavailable without a synthesiser', async () => {
    expect(await webSpeech({}).speak({ parts: ['x'], lang: 'en', volume: 1 })).toBe('unavailable');
  });

  it('answers unavailable when no voice speaks the visitor’s language', async () => {
    const h = host([{ lang: 'en-GB', localService: true, name: 'English' }]);
    expect(await webSpeech(h).speak({ parts: ['Привет'], lang: 'ru', volume: 1 })).toBe('unavailable');
    expect(h.queue).toHaveLength(0);
  });

  it('queues each piece in a voice of the language, at the given volume, and ends with the last', async () => {
    const h = host([
      { lang: 'en-US', localService: false, name: 'Remote' },
      { lang: 'ru-RU', localService: true, name: 'Русский' },
    ]);
    const started = vi.fn();
    const outcome = webSpeech(h).speak({
      parts: ['Один', '', 'Два'],
      lang: 'ru',
      volume: 0.5,
      onStart: started,
    });
    await vi.waitFor(() => expect(h.queue).toHaveLength(2));
    expect(h.queue.map((u) => [u.text, u.lang, u.volume])).toEqual([
      ['Один', 'ru-RU', 0.5],
      ['Два', 'ru-RU', 0.5],
    ]);
    h.queue[0]!.onstart?.();
    expect(started).toHaveBeenCalledOnce();
    h.queue[1]!.onend?.();
    expect(await outcome).toBe('done');
  });
});

describe('the speech engine loaded on first use', () => {
  /** A loader the test releases, and the engine it hands over. */
  function deferred() {
    const engine = { speak: vi.fn(async () => 'done' as SpeechOutcome), cancel: vi.fn() };
    let release!: () => void;
    const loaded = new Promise<void>((r) => (release = r));
    const load = vi.fn(async () => {
      await loaded;
      return { webSpeech: () => engine };
    });
    return { engine, load, release };
  }

  it('loads the engine on the first request only, then speaks through it', async () => {
    const { engine, load, release } = deferred();
    const lazy = lazyWebSpeech(load);
    expect(load).not.toHaveBeenCalled();
    const req = { parts: ['Hello'], lang: 'en', volume: 1 };
    const first = lazy.speak(req);
    release();
    expect(await first).toBe('done');
    expect(await lazy.speak(req)).toBe('done');
    expect(load).toHaveBeenCalledOnce();
    expect(engine.speak).toHaveBeenCalledTimes(2);
  });

  it('says nothing when cancelled while the engine loads', async () => {
    const { engine, load, release } = deferred();
    const lazy = lazyWebSpeech(load);
    const pending = lazy.speak({ parts: ['Hello'], lang: 'en', volume: 1 });
    lazy.cancel();
    release();
    expect(await pending).toBe('cancelled');
    expect(engine.speak).not.toHaveBeenCalled();
  });
});

describe('access strings', () => {
  it('has every key in English and Russian', () => {
    expect(Object.keys(accessStrings.ru).sort()).toEqual(Object.keys(accessStrings.en).sort());
  });
});
