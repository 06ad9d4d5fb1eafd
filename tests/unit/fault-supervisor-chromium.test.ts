/**
 * The Chromium fallback of `npm start` as a kiosk: a browser closed with
 * Alt+F4 (exit code 0) comes back like a crashed one; only the host's stop
 * (the staff panel's exit, a signal) ends supervision; and the browser runs
 * with the lockdown switches, with a managed policy ready for DevTools.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import {
  RELAUNCH_BACKOFF_MS,
  chromiumKioskArgs,
  chromiumKioskPolicy,
  chromiumSupervisor,
  type SupervisedChild,
} from '../../main/cli/launcher.js';

class FakeChild extends EventEmitter {
  kill = vi.fn(() => true);
}

function supervise() {
  let t = 0;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const children: FakeChild[] = [];
  const onEnd = vi.fn();
  const log = vi.fn();
  const sup = chromiumSupervisor('/usr/bin/chromium', ['--kiosk'], {
    spawn: () => {
      const c = new FakeChild();
      children.push(c);
      return c as unknown as SupervisedChild;
    },
    now: () => t,
    setTimeout: (fn, ms) => {
      timers.push({ at: t + ms, fn, id: nextId });
      return nextId++;
    },
    clearTimeout: (id) => {
      timers = timers.filter((x) => x.id !== id);
    },
    log,
    onEnd,
  });
  const advance = (ms: number) => {
    t += ms;
    const due = timers.filter((x) => x.at <= t);
    timers = timers.filter((x) => x.at > t);
    for (const x of due) x.fn();
  };
  return { sup, children, onEnd, log, advance, pending: () => timers.length };
}

describe('the kiosk browser under supervision', () => {
  it('comes back after Alt+F4 (a clean exit nobody asked for), with the crash back-off', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('exit', 0, null);
    expect(s.onEnd).not.toHaveBeenCalled();
    s.advance(RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(2);
    // Closed again at once: the pause grows, as for any crash loop.
    s.children[1]!.emit('exit', 0, null);
    s.advance(RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(2);
    s.advance(RELAUNCH_BACKOFF_MS[1] - RELAUNCH_BACKOFF_MS[0]);
    expect(s.children).toHaveLength(3);
    expect(s.log).toHaveBeenCalledWith(
      expect.stringMatching(/closed without being asked to; restarting it in 1 s/),
    );
    expect(s.onEnd).not.toHaveBeenCalled();
  });

  it('ends only when the host stops it (staff exit, a signal): the browser is closed and stays closed', () => {
    const s = supervise();
    s.sup.start();
    s.sup.stop();
    expect(s.children[0]!.kill).toHaveBeenCalledWith('SIGTERM');
    s.children[0]!.emit('exit', 0, null);
    s.advance(60_000);
    expect(s.children).toHaveLength(1);
    expect(s.pending()).toBe(0);
    expect(s.onEnd).not.toHaveBeenCalled();
  });

  it('still relaunches a crash, and a browser that cannot start, forever', () => {
    const s = supervise();
    s.sup.start();
    for (let i = 0; i < 20; i++) {
      const last = s.children[s.children.length - 1]!;
      if (i % 2) last.emit('exit', null, 'SIGSEGV');
      else last.emit('error', new Error('ENOENT'));
      s.advance(RELAUNCH_BACKOFF_MS[RELAUNCH_BACKOFF_MS.length - 1]!);
    }
    expect(s.children).toHaveLength(21);
    expect(s.onEnd).not.toHaveBeenCalled();
  });
});

describe('the kiosk browser lockdown', () => {
  const args = chromiumKioskArgs('http://127.0.0.1:41234/', '/home/k/.config/vitrine/chromium-kiosk', {
    noSandbox: false,
  });

  it('runs with switches that need no policy: no prompts, pop-ups, extensions, translate bar or swipe-back', () => {
    for (const flag of [
      '--kiosk',
      '--deny-permission-prompts',
      '--disable-notifications',
      '--disable-extensions',
      '--block-new-web-contents',
      '--noerrdialogs',
      '--disable-session-crashed-bubble',
      '--disable-pinch',
      '--overscroll-history-navigation=0',
    ])
      expect(args).toContain(flag);
    const features = args.filter((a) => a.startsWith('--disable-features='));
    // Chromium honours only the last --disable-features: the quiet flags' and the kiosk's in one list.
    expect(features).toHaveLength(1);
    expect(features[0]!.split('=')[1]!.split(',')).toEqual(
      expect.arrayContaining(['Translate', 'TranslateUI', 'TouchpadOverscrollHistoryNavigation']),
    );
    expect(args.some((a) => /remote-debugging|inspect/.test(a))).toBe(false);
  });

  it('has a managed policy ready that turns DevTools and the browser pages off', () => {
    const policy = chromiumKioskPolicy();
    expect(policy.DeveloperToolsAvailability).toBe(2);
    expect(policy.URLBlocklist).toEqual(expect.arrayContaining(['chrome://*', 'file://*', 'devtools://*']));
    expect(policy.DownloadRestrictions).toBe(3);
    // The kiosk's own origin is never blocked.
    expect((policy.URLBlocklist as string[]).some((p) => p.includes('127.0.0.1') || p === '*')).toBe(false);
  });
});
