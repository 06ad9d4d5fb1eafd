/**
 * The host follows the opening hours (main/kiosk/opening-hours.ts) and tells
 * the page over `/api/events` (main/handler/events.ts): at the right instant,
 * without the page polling, and after a clock jump within a minute.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OpeningHours, ScheduleStatus } from '../../main/contract/schedule.js';
import type { ContentSource } from '../../main/content/source.js';
import { eventStream } from '../../main/handler/events.js';
import { watchOpeningHours } from '../../main/kiosk/opening-hours.js';

const FRIDAY_NIGHT: OpeningHours = { weekly: { fri: ['20:00-02:00'] }, timeZone: 'Europe/Berlin' };

beforeEach(() => {
  vi.useFakeTimers();
  // Friday 27 November 2026, 19:59 in Berlin.
  vi.setSystemTime(new Date('2026-11-27T18:59:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('watchOpeningHours', () => {
  it('opens at 20:00 and closes at 02:00 on its own timer, telling each change once', () => {
    const seen: ScheduleStatus['state'][] = [];
    const logged: string[] = [];
    const watch = watchOpeningHours({
      hours: () => FRIDAY_NIGHT,
      onChange: (s) => logged.push(s.state),
      recheckMs: 3_600_000,
    });
    watch.subscribe((s) => seen.push(s.state));
    expect(watch.status()).toEqual({
      state: 'scheduled-off',
      nextChange: '2026-11-27T19:00:00.000Z',
      nextChangeLocal: '20:00',
    });
    vi.advanceTimersByTime(59_000);
    expect(watch.status().state).toBe('scheduled-off');
    vi.advanceTimersByTime(1_000 + 10);
    expect(watch.status()).toEqual({
      state: 'open',
      nextChange: '2026-11-28T01:00:00.000Z',
      nextChangeLocal: '02:00',
    });
    vi.advanceTimersByTime(6 * 3_600_000);
    expect(seen).toEqual(['open', 'scheduled-off']);
    expect(logged).toEqual(['scheduled-off', 'open', 'scheduled-off']);
    watch.close();
  });

  it('notices a clock that jumped at the next minute re-check', () => {
    let offset = 0;
    const watch = watchOpeningHours({ hours: () => FRIDAY_NIGHT, now: () => Date.now() + offset });
    expect(watch.status().state).toBe('scheduled-off');
    // The clock is corrected by two hours (NTP): the 20:00 timer is now far off.
    offset = 2 * 3_600_000;
    vi.advanceTimersByTime(60_000);
    expect(watch.status().state).toBe('open');
    watch.close();
  });

  it('is always open without opening hours, and follows hours that arrive with a new version', () => {
    let hours: OpeningHours | undefined;
    const watch = watchOpeningHours({ hours: () => hours });
    expect(watch.status()).toEqual({ state: 'always-open' });
    hours = FRIDAY_NIGHT;
    watch.check();
    expect(watch.status().state).toBe('scheduled-off');
    watch.close();
  });
});

describe('the event stream', () => {
  const source = { subscribe: () => () => {} } as unknown as ContentSource;

  async function read(res: Response, until: RegExp): Promise<string> {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!until.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
    }
    reader.releaseLock();
    return text;
  }

  it('says the schedule on connecting and again when it changes', async () => {
    const watch = watchOpeningHours({ hours: () => FRIDAY_NIGHT });
    const ac = new AbortController();
    const res = eventStream(new Request('http://x/api/events', { signal: ac.signal }), source, 60_000, watch);
    const first = await read(res, /event: schedule/);
    expect(first).toContain(
      'event: schedule\ndata: {"state":"scheduled-off","nextChange":"2026-11-27T19:00:00.000Z","nextChangeLocal":"20:00"}\n\n',
    );
    vi.advanceTimersByTime(60_010);
    const next = await read(res, /event: schedule/);
    expect(next).toContain('event: schedule\ndata: {"state":"open"');
    ac.abort();
    watch.close();
  });

  it('sends no schedule event on a kiosk without opening hours feed', async () => {
    const ac = new AbortController();
    const res = eventStream(new Request('http://x/api/events', { signal: ac.signal }), source, 60_000);
    const first = await read(res, /: connected/);
    expect(first).not.toContain('schedule');
    ac.abort();
  });
});
