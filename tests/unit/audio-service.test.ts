// The fake browser audio must exist before howler is first evaluated.
import { elements, fakeSound, liveSources } from './audio-fake-env.js';
import { Howler } from 'howler';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
const N = 500;
import { AudioService, DEFAULT_LIMITS, type AudioStatus } from '../../src/lib/audio/audio-service.js';
import { parseCaptions } from '../../src/lib/audio/captions.js';

const VTT = `WEBVTT

1
00:00:00.000 --> 00:00:02.000
The Soviet Union enters the war.

2
00:00:02.000 --> 00:00:05.000
Vasilevsky took command.

00:00:06.000 --> 00:00:09.000
The Kwantung Army surrendered.
`;

/** Captions served by URL, as the host would. */
const files: Record<string, string> = { '/media/narration/a.en.vtt': VTT, '/media/narration/a.ru.vtt': VTT };
const fetchText = async (url: string): Promise<string> => {
  const text = files[url];
  if (text === undefined) throw new Error(`404 ${url}`);
  return text;
};

const narration = (lang = 'en', seconds = 10) => ({
  key: `a:${lang}`,
  lang,
  audio: `fake://a.${lang}-${seconds}s.ogg`,
  captions: `/media/narration/a.${lang}.vtt`,
});

function makeService(extra: Partial<ConstructorParameters<typeof AudioService>[0]> = {}) {
  const statuses: AudioStatus[] = [];
  const idle = { held: new Set<string>(), hold: vi.fn(), release: vi.fn() };
  idle.hold.mockImplementation((r: string) => idle.held.add(r));
  idle.release.mockImplementation((r: string) => idle.held.delete(r));
  const service = new AudioService({
    sounds: { tap: fakeSound(0.08), turn: fakeSound(0.3), ambient: fakeSound(20) },
    fetchText,
    idle,
    onStatus: (s) => statuses.push(s),
    ...extra,
  });
  return { service, statuses, idle };
}

/** Lets Howler's load, play and end callbacks (all timers) run for `ms` of fake time. */
const run = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Starts narration and waits until it is audible. */
async function startNarration(service: AudioService, req = narration()): Promise<void> {
  const started = service.playNarration(req);
  await run(20);
  await started;
}

beforeAll(async () => {
  // media-captions loads its parser with a dynamic import, which fake timers cannot hurry.
  await parseCaptions(VTT);
});

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  Howler.unload();
  vi.useRealTimers();
});

describe('AudioService', () => {
  it('starts with no Howls and creates one per UI sound, reused for every tap', async () => {
    const { service } = makeService();
    expect(AudioService.liveHowls()).toBe(0);
    service.preloadUi();
    await run(5);
    service.playUi('tap');
    service.playUi('tap');
    service.playUi('turn');
    await run(5);
    expect(AudioService.liveHowls()).toBe(2);
    service.dispose();
    expect(AudioService.liveHowls()).toBe(0);
  });

  it('returns to the baseline Howl count after 500 UI sounds and 500 narrations', async () => {
    const { service } = makeService();
    const baseline = AudioService.liveHowls();
    service.preloadUi();
    await run(5);
    for (let i = 0; i < 500; i++) {
      service.playUi(i % 2 ? 'tap' : 'turn');
      if (i % 10 === 0) await run(1);
    }
    await run(1000);
    // Only the two reused UI Howls remain, and none of them holds more voices than the cap.
    expect(AudioService.liveHowls()).toBe(baseline + 2);
    const howls = (Howler as unknown as { _howls: { _sounds: unknown[] }[] })._howls;
    for (const h of howls) expect(h._sounds.length).toBeLessThanOrEqual(3);
    expect(liveSources.size).toBe(0);

    for (let i = 0; i < N; i++) {
      await startNarration(service, narration(i % 2 ? 'en' : 'ru', 0.5));
      // Half of them are stopped by the visitor, half play to the end.
      if (i % 2) service.stopNarration();
      else await run(600);
      expect(service.status.narration).toBeNull();
    }
    expect(AudioService.liveHowls()).toBe(baseline + 2);
    service.reset();
    expect(AudioService.liveHowls()).toBe(baseline);
  });

  it('caps concurrent voices of a UI sound by cutting the oldest', async () => {
    const { service } = makeService({ maxUiVoices: 2 });
    service.preloadUi();
    await run(5);
    for (let i = 0; i < 6; i++) service.playUi('turn');
    await run(10);
    expect(liveSources.size).toBe(2);
    await run(400);
    expect(liveSources.size).toBe(0);
    service.dispose();
  });

  it('shows the sentence being spoken as narration plays, and clears it between cues', async () => {
    const { service, statuses } = makeService();
    await startNarration(service);
    expect(service.status.playing).toBe(true);
    expect(service.status.cue).toBe('The Soviet Union enters the war.');
    await run(2500);
    expect(service.status.cue).toBe('Vasilevsky took command.');
    // Position is reported in steps of a quarter second at most.
    expect(service.status.position).toBeGreaterThanOrEqual(2.25);
    await run(3000); // 5.5 s: the gap between cue 2 and 3
    expect(service.status.cue).toBe('');
    await run(1000);
    expect(service.status.cue).toBe('The Kwantung Army surrendered.');
    expect(statuses.some((s) => s.duration === 10)).toBe(true);
    await run(4000);
    expect(service.status.playing).toBe(false);
    expect(service.status.cue).toBe('');
    service.dispose();
  });

  it('holds the idle timer while narration plays and releases it when it ends or stops', async () => {
    const { service, idle } = makeService();
    await startNarration(service, narration('en', 3));
    expect(idle.held.has('narration')).toBe(true);
    await run(3500);
    expect(idle.held.size).toBe(0);

    await startNarration(service);
    expect(idle.held.has('narration')).toBe(true);
    service.stopNarration();
    expect(idle.held.size).toBe(0);
    expect(idle.hold).toHaveBeenCalledTimes(2);
    expect(idle.release).toHaveBeenCalledTimes(2);
    service.dispose();
  });

  it('keeps only one narration Howl: a new chapter replaces the last', async () => {
    const { service } = makeService();
    await startNarration(service, narration('en'));
    const before = AudioService.liveHowls();
    await startNarration(service, narration('ru'));
    expect(AudioService.liveHowls()).toBe(before);
    expect(service.status.narration).toBe('a:ru');
    service.dispose();
  });

  it('stops narration when the visitor switches language, not when the language stays', async () => {
    const { service } = makeService();
    await startNarration(service, narration('en'));
    service.languageChanged('en');
    expect(service.status.playing).toBe(true);
    service.languageChanged('ru');
    expect(service.status.playing).toBe(false);
    expect(AudioService.liveHowls()).toBe(0);
    service.dispose();
  });

  it('never plays louder than the staff limit', async () => {
    const { service } = makeService();
    service.configure({ maxVolume: 0.5 });
    service.preloadUi();
    await startNarration(service);
    service.playUi('tap');
    await run(5);
    const howls = (Howler as unknown as { _howls: { volume(): number }[] })._howls;
    expect(howls.length).toBe(3);
    for (const h of howls) expect(h.volume() * Howler.volume()).toBeLessThanOrEqual(0.5);
    const narrationEl = elements.filter((e) => !e.paused && e.src.startsWith('fake:')).at(-1)!;
    expect(narrationEl.volume).toBeLessThanOrEqual(0.5);

    // Lowered while playing: the voice gets quieter at once.
    service.configure({ maxVolume: 0.2 });
    await run(5);
    for (const h of howls) expect(h.volume() * Howler.volume()).toBeLessThanOrEqual(0.2);
    expect(narrationEl.volume).toBeLessThanOrEqual(0.2);

    // Values outside 0..1 are clamped, never trusted.
    service.configure({ maxVolume: 7 });
    expect(service.effectiveVolume('narration')).toBe(1);
    service.configure({ maxVolume: Number.NaN });
    expect(service.effectiveVolume('narration')).toBe(0);
    service.dispose();
  });

  it('keeps the audio awake through a visit, so a tap after a long read clicks at once, and lets it sleep between visits', async () => {
    const { service } = makeService();
    service.reset();
    service.setVisitorPresent(true);
    service.preloadUi();
    await run(5);
    service.playUi('tap');
    // A minute's reading, without a sound.
    await run(60_000);
    expect(Howler.ctx.state).toBe('running');
    const before = liveSources.size;
    service.playUi('tap');
    // Started in the same task, not after the audio wakes.
    expect(liveSources.size).toBe(before + 1);

    // The visit ends: the loop, silent, lets the audio sleep.
    service.reset();
    service.setVisitorPresent(false);
    await run(31_000);
    expect(Howler.ctx.state).toBe('suspended');
    service.dispose();
  });

  it('mutes everything for the visitor, and plays no UI sounds while muted', async () => {
    const { service } = makeService();
    service.setMuted(true);
    expect(service.status.muted).toBe(true);
    expect(service.effectiveVolume('narration')).toBe(0);
    service.preloadUi();
    await run(5);
    service.playUi('tap');
    await run(5);
    expect(liveSources.size).toBe(0);
    await startNarration(service);
    const el = elements.filter((e) => !e.paused && e.src.startsWith('fake:')).at(-1)!;
    expect(el.muted).toBe(true);
    service.dispose();
  });

  it('plays UI sounds only if staff allow them, and the ambient bed only if turned on', async () => {
    const { service } = makeService();
    service.startAmbient();
    expect(AudioService.liveHowls()).toBe(0);
    service.configure({ uiSounds: false });
    service.playUi('tap');
    expect(AudioService.liveHowls()).toBe(0);
    service.configure({ uiSounds: true });

    service.configure({ ambient: true });
    service.startAmbient();
    service.startAmbient();
    await run(5);
    expect(AudioService.liveHowls()).toBe(1);
    expect(liveSources.size).toBe(1);
    // Narration silences the bed.
    await startNarration(service);
    expect(liveSources.size).toBe(0);
    service.dispose();
  });

  it('reset stops and unloads everything and restores the defaults', async () => {
    const { service, idle } = makeService();
    service.configure({ maxVolume: 0.3, ambient: true });
    service.preloadUi();
    service.startAmbient();
    await run(5);
    service.playUi('tap');
    expect(AudioService.liveHowls()).toBe(3);
    await startNarration(service);
    service.setMuted(true);
    // Narration has replaced the ambient bed: two UI Howls and the voice.
    expect(AudioService.liveHowls()).toBe(3);

    service.reset();
    expect(AudioService.liveHowls()).toBe(0);
    expect(liveSources.size).toBe(0);
    // Howler blanks an unloaded element's source; none may still be playing a narration.
    expect(elements.filter((e) => !e.paused && e.src.startsWith('fake:'))).toEqual([]);
    expect(service.status).toMatchObject({ playing: false, muted: false, narration: null, cue: '' });
    expect(service.limits).toEqual(DEFAULT_LIMITS);
    expect(idle.held.size).toBe(0);

    // Reset can re-apply the exhibit's own limits rather than the defaults.
    service.reset({ maxVolume: 0.4 });
    expect(service.limits.maxVolume).toBe(0.4);
    service.dispose();
  });

  it('reports a narration whose audio cannot load, and leaves nothing behind', async () => {
    const { service, idle } = makeService();
    await startNarration(service, { ...narration(), audio: 'fake://broken.ogg' });
    await run(50);
    expect(service.status.error).toBe('narration-audio');
    expect(service.status.playing).toBe(false);
    expect(AudioService.liveHowls()).toBe(0);
    expect(idle.held.size).toBe(0);
    // The apology goes away by itself.
    await run(6000);
    expect(service.status.error).toBeNull();
    service.dispose();
  });

  it('reports missing captions without playing', async () => {
    const { service } = makeService();
    await startNarration(service, { ...narration(), captions: '/media/narration/missing.vtt' });
    expect(service.status.error).toBe('narration-captions');
    expect(AudioService.liveHowls()).toBe(0);
    service.dispose();
  });

  it('drops a narration superseded while its captions were still loading', async () => {
    let release: () => void = () => {};
    const slow = async (url: string) => {
      await new Promise<void>((r) => (release = r));
      return fetchText(url);
    };
    const { service } = makeService({ fetchText: slow });
    const first = service.playNarration(narration('en'));
    service.stopNarration();
    release();
    await run(20);
    await first;
    expect(AudioService.liveHowls()).toBe(0);
    expect(service.status.narration).toBeNull();
    service.dispose();
  });
});
