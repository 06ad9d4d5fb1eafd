// The fake browser audio must exist before howler is first evaluated.
import './audio-fake-env.js';
import { Howler } from 'howler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Exhibit } from '../../main/contract/exhibit.js';
import { AudioState } from '../../src/lib/audio/audio.svelte.js';
import { IdleWatch } from '../../src/lib/idle.svelte.js';
import { Kiosk } from '../../src/lib/kiosk.svelte.js';
import { Visit, type UpdatePolicy } from '../../src/lib/visit.svelte.js';

const IDLE_S = 5;
const COUNTDOWN_S = 3;

/** Just what the visit reads of an exhibit: languages, chapters and timing. */
const exhibit = {
  settings: {
    defaultLanguage: 'ru',
    idleSeconds: IDLE_S,
    countdownSeconds: COUNTDOWN_S,
    audio: { maxVolume: 0.8, uiSounds: true, ambient: false },
  },
  chapters: Array.from({ length: 6 }, (_, i) => ({ id: `c${i}` })),
} as unknown as Exhibit;

let disconnect: (() => void)[] = [];

// Effects do not run under Node (Svelte's server build), so these tests do by hand what
// `Visit.connect`'s two effects do in the page: configure from the exhibit, and run the idle timer
// while the visitor is off the attract loop (tests/e2e/idle.spec.ts covers those in Chromium).
function setup() {
  const kiosk = new Kiosk();
  const idle = new IdleWatch();
  const visit = new Visit(kiosk, idle);
  disconnect.push(visit.connect({ exhibit }), () => idle.dispose());
  kiosk.configure({ defaultLang: 'ru', chapterCount: exhibit.chapters.length });
  idle.configure(IDLE_S, COUNTDOWN_S);
  return { kiosk, idle, visit };
}

/** A visitor arrives, picks English and opens a chapter's picture. */
function explore(kiosk: Kiosk, idle: IdleWatch) {
  kiosk.wake();
  kiosk.setLang('en');
  kiosk.openChapter(3);
  kiosk.openViewer(1);
  idle.setEnabled(true);
}

beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
afterEach(() => {
  for (const off of disconnect) off();
  disconnect = [];
  Howler.unload();
  vi.useRealTimers();
});

describe('a visit', () => {
  it('warns after the idle time, then resets the kiosk for the next visitor, running every hook once in order', () => {
    const { kiosk, idle, visit } = setup();
    const order: string[] = [];
    visit.onReset(() => order.push('audio'));
    visit.onReset(() => order.push('access'));
    visit.onReset(() => order.push('updates'));
    explore(kiosk, idle);

    vi.advanceTimersByTime(IDLE_S * 1000 - 100);
    expect(idle.phase).toBe('active');
    vi.advanceTimersByTime(200);
    expect(idle.phase).toBe('warning');
    expect(order).toEqual([]);
    vi.advanceTimersByTime(COUNTDOWN_S * 1000);

    expect(order).toEqual(['audio', 'access', 'updates']);
    expect(kiosk.screen).toBe('attract');
    expect(kiosk.viewer).toBeNull();
    expect(kiosk.chapter).toBe(0);
    expect(kiosk.lang).toBe('ru');
    // The idle period starts again after a reset: one reset per countdown, never two at once.
    expect(idle.phase).toBe('active');
  });

  it('Start over resets at once and the idle period starts afresh', () => {
    const { kiosk, idle, visit } = setup();
    const hook = vi.fn();
    visit.onReset(hook);
    explore(kiosk, idle);
    vi.advanceTimersByTime(IDLE_S * 1000 + 500);
    expect(idle.phase).toBe('warning');
    visit.startOver();
    expect(hook).toHaveBeenCalledOnce();
    expect(kiosk.screen).toBe('attract');
    expect(idle.phase).toBe('active');
  });

  it('a hook that throws does not stop the others, and a removed hook is not run', () => {
    const { kiosk, idle, visit } = setup();
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const good = vi.fn();
    const gone = vi.fn();
    visit.onReset(() => {
      throw new Error('boom');
    });
    visit.onReset(good);
    visit.onReset(gone)();
    explore(kiosk, idle);
    visit.reset();
    expect(good).toHaveBeenCalledOnce();
    expect(gone).not.toHaveBeenCalled();
    expect(kiosk.screen).toBe('attract');
    spy.mockRestore();
  });

  it('a content update announced mid-visit waits for the reset; on the attract loop it shows at once', async () => {
    const { kiosk, idle, visit } = setup();
    const load = vi.fn(async () => undefined);
    explore(kiosk, idle);
    visit.announce('v2', load);
    expect(load).not.toHaveBeenCalled();
    expect(visit.waiting).toBe('v2');
    // A newer version replaces the waiting one: only the latest is loaded.
    const load3 = vi.fn(async () => undefined);
    visit.announce('v3', load3);
    vi.advanceTimersByTime(IDLE_S * 1000 - 1);
    expect(load3).not.toHaveBeenCalled();

    visit.reset();
    expect(load).not.toHaveBeenCalled();
    expect(load3).toHaveBeenCalledOnce();
    expect(visit.waiting).toBeNull();

    const load4 = vi.fn(async () => undefined);
    visit.announce('v4', load4);
    expect(load4).toHaveBeenCalledOnce();
  });

  it('applies updates through the policy passed in, and at once mid-visit when it asks to', async () => {
    const { kiosk, idle, visit } = setup();
    const applied: string[] = [];
    const policy: UpdatePolicy = {
      immediate: false,
      apply: async (version, load) => {
        applied.push(version);
        await load();
      },
    };
    const off = visit.usePolicy(policy);
    explore(kiosk, idle);
    const load = vi.fn(async () => undefined);
    visit.announce('v2', load);
    expect(applied).toEqual([]);
    visit.reset();
    expect(applied).toEqual(['v2']);
    await vi.waitFor(() => expect(load).toHaveBeenCalledOnce());

    explore(kiosk, idle);
    const preview = visit.usePolicy({ ...policy, immediate: true, apply: policy.apply });
    visit.announce('v3', async () => undefined);
    expect(applied).toEqual(['v2', 'v3']);
    preview();
    off();
    visit.announce('v4', async () => undefined);
    expect(applied).toEqual(['v2', 'v3']);
  });

  it('a staff mute survives the reset, while a visitor mute does not', () => {
    const { kiosk, idle, visit } = setup();
    const audio = new AudioState();
    disconnect.push(audio.connect(visit, kiosk, idle, { exhibit }));
    explore(kiosk, idle);

    audio.toggleMute();
    expect(audio.muted).toBe(true);
    visit.reset();
    expect(audio.muted).toBe(false);
    expect(audio.service.effectiveVolume('narration')).toBeGreaterThan(0);

    visit.setStaffMuted(true);
    expect(audio.muted).toBe(true);
    explore(kiosk, idle);
    vi.advanceTimersByTime((IDLE_S + COUNTDOWN_S) * 1000 + 1000);
    expect(kiosk.screen).toBe('attract');
    expect(audio.muted).toBe(true);
    expect(audio.service.effectiveVolume('narration')).toBe(0);
    // No late re-mute is needed: nothing changes after the reset.
    vi.advanceTimersByTime(1000);
    expect(audio.muted).toBe(true);

    visit.setStaffMuted(false);
    expect(audio.muted).toBe(false);
  });
});
