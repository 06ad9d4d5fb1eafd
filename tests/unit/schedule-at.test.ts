/**
 * Opening hours (main/contract/schedule.ts): open or not at an instant, and
 * when that next changes, on the wall clock of the schedule's zone — across
 * midnight, both DST changes in Berlin and New York, and holidays.
 */
import { describe, expect, it } from 'vitest';
import {
  parseClosure,
  parseRange,
  scheduleAt,
  scheduleStatus,
  type OpeningHours,
} from '../../main/contract/schedule.js';

const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();
const every = (ranges: string[]) => ({
  mon: ranges,
  tue: ranges,
  wed: ranges,
  thu: ranges,
  fri: ranges,
  sat: ranges,
  sun: ranges,
});

describe('scheduleAt', () => {
  it('is always open, never changing, without opening hours', () => {
    expect(scheduleAt(undefined, at('2026-11-28T03:00:00Z'))).toEqual({ open: true, nextChange: undefined });
    expect(scheduleStatus(undefined, Date.now())).toEqual({ state: 'always-open' });
  });

  describe('a range across midnight (Fri 20:00-02:00, Berlin)', () => {
    const hours: OpeningHours = { weekly: { fri: ['20:00-02:00'] }, timeZone: 'Europe/Berlin' };
    it('is open on Saturday at 01:30 and closes at 02:00', () => {
      // 2026-11-28 is a Saturday; Berlin is UTC+1 in November.
      const s = scheduleAt(hours, at('2026-11-28T00:30:00Z'));
      expect(s.open).toBe(true);
      expect(iso(s.nextChange)).toBe('2026-11-28T01:00:00.000Z');
    });
    it('is closed on Friday before 20:00 and opens at 20:00', () => {
      const s = scheduleAt(hours, at('2026-11-27T18:59:00Z'));
      expect(s).toEqual({ open: false, nextChange: at('2026-11-27T19:00:00Z') });
    });
    it('is closed from 02:00 on and next opens the following Friday', () => {
      const s = scheduleAt(hours, at('2026-11-28T01:00:00Z'));
      expect(s).toEqual({ open: false, nextChange: at('2026-12-04T19:00:00Z') });
      expect(scheduleStatus(hours, at('2026-11-28T01:00:00Z'))).toEqual({
        state: 'scheduled-off',
        nextChange: '2026-12-04T19:00:00.000Z',
        nextChangeLocal: '20:00',
      });
    });
  });

  describe('DST in Europe/Berlin', () => {
    const zone = 'Europe/Berlin';
    it('keeps a 09:00 opening at 09:00 local across spring-forward (29 March 2026)', () => {
      const hours: OpeningHours = { weekly: { sun: ['09:00-18:00'] }, timeZone: zone };
      // A week earlier, 09:00 CET is 08:00Z; on the day of the change 09:00 CEST is 07:00Z.
      expect(iso(scheduleAt(hours, at('2026-03-21T12:00:00Z')).nextChange)).toBe('2026-03-22T08:00:00.000Z');
      expect(iso(scheduleAt(hours, at('2026-03-28T12:00:00Z')).nextChange)).toBe('2026-03-29T07:00:00.000Z');
      const open = scheduleAt(hours, at('2026-03-29T07:00:00Z'));
      expect(open).toEqual({ open: true, nextChange: at('2026-03-29T16:00:00Z') });
    });
    it('opens a range starting in the spring-forward gap at the first instant after it (03:00 CEST)', () => {
      const hours: OpeningHours = { weekly: { sun: ['02:30-04:00'] }, timeZone: zone };
      const before = scheduleAt(hours, at('2026-03-29T00:59:00Z'));
      expect(before).toEqual({ open: false, nextChange: at('2026-03-29T01:00:00Z') });
      const during = scheduleAt(hours, at('2026-03-29T01:00:00Z'));
      expect(during).toEqual({ open: true, nextChange: at('2026-03-29T02:00:00Z') });
    });
    it('takes the first of an ambiguous fall-back time (25 October 2026) and keeps 09:00 local', () => {
      const hours: OpeningHours = { weekly: { sun: ['02:30-09:00'] }, timeZone: zone };
      // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): the first counts.
      expect(scheduleAt(hours, at('2026-10-25T00:00:00Z'))).toEqual({
        open: false,
        nextChange: at('2026-10-25T00:30:00Z'),
      });
      // 09:00 CET is 08:00Z: the range lasts 7½ hours that night.
      expect(scheduleAt(hours, at('2026-10-25T01:00:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-10-25T08:00:00Z'),
      });
    });
    it('ends an overnight range across fall-back at its local end (Sat 20:00-04:00)', () => {
      const hours: OpeningHours = { weekly: { sat: ['20:00-04:00'] }, timeZone: zone };
      const s = scheduleAt(hours, at('2026-10-25T02:30:00Z'));
      expect(s).toEqual({ open: true, nextChange: at('2026-10-25T03:00:00Z') });
    });
  });

  describe('DST in America/New_York', () => {
    const zone = 'America/New_York';
    it('keeps 09:00 at 09:00 local across spring-forward (8 March 2026)', () => {
      const hours: OpeningHours = { weekly: { sun: ['09:00-17:00'] }, timeZone: zone };
      expect(iso(scheduleAt(hours, at('2026-02-28T12:00:00Z')).nextChange)).toBe('2026-03-01T14:00:00.000Z');
      expect(iso(scheduleAt(hours, at('2026-03-07T12:00:00Z')).nextChange)).toBe('2026-03-08T13:00:00.000Z');
    });
    it('opens 02:15 in the gap at 03:00 EDT', () => {
      const hours: OpeningHours = { weekly: { sun: ['02:15-03:30'] }, timeZone: zone };
      expect(scheduleAt(hours, at('2026-03-08T06:30:00Z'))).toEqual({
        open: false,
        nextChange: at('2026-03-08T07:00:00Z'),
      });
      expect(scheduleAt(hours, at('2026-03-08T07:10:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-03-08T07:30:00Z'),
      });
    });
    it('closes an overnight range ending at an ambiguous 01:30 (1 November 2026) the first time', () => {
      const hours: OpeningHours = { weekly: { sat: ['22:00-01:30'] }, timeZone: zone };
      expect(scheduleAt(hours, at('2026-11-01T05:00:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-11-01T05:30:00Z'),
      });
      // 01:15 EST, the second time round: already closed, next Saturday 22:00 EST.
      expect(scheduleAt(hours, at('2026-11-01T06:15:00Z'))).toEqual({
        open: false,
        nextChange: at('2026-11-08T03:00:00Z'),
      });
    });
  });

  describe('closures', () => {
    const zone = 'Europe/Berlin';
    it('closes a holiday all day, even inside weekly hours', () => {
      const hours: OpeningHours = { weekly: every(['09:00-18:00']), closed: ['2026-12-25'], timeZone: zone };
      expect(scheduleAt(hours, at('2026-12-24T12:00:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-12-24T17:00:00Z'),
      });
      expect(scheduleAt(hours, at('2026-12-25T11:00:00Z'))).toEqual({
        open: false,
        nextChange: at('2026-12-26T08:00:00Z'),
      });
    });
    it('ends a range crossing midnight into a holiday at midnight, and starts none out of it', () => {
      const hours: OpeningHours = {
        weekly: { thu: ['20:00-02:00'], fri: ['20:00-02:00'] },
        closed: ['2026-12-25'],
        timeZone: zone,
      };
      // Thursday 24 December 23:30: open until midnight, not 02:00.
      expect(scheduleAt(hours, at('2026-12-24T22:30:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-12-24T23:00:00Z'),
      });
      // Friday 25 December is closed, so its 20:00-02:00 never starts: Saturday 01:00 is closed too.
      expect(scheduleAt(hours, at('2026-12-26T00:00:00Z'))).toEqual({
        open: false,
        nextChange: at('2026-12-31T19:00:00Z'),
      });
    });
    it('takes a range of days, both ends included', () => {
      const hours: OpeningHours = {
        weekly: every(['10:00-16:00']),
        closed: ['2026-12-24..2026-12-26'],
        timeZone: zone,
      };
      expect(scheduleAt(hours, at('2026-12-23T20:00:00Z')).nextChange).toEqual(at('2026-12-27T09:00:00Z'));
    });
    it('closes a round-the-clock kiosk at the holiday midnight, and says when it never changes', () => {
      const hours: OpeningHours = { weekly: every(['00:00-24:00']), timeZone: zone };
      expect(scheduleAt(hours, at('2026-12-01T12:00:00Z'))).toEqual({ open: true, nextChange: undefined });
      const holiday = { ...hours, closed: ['2027-01-01'] };
      expect(scheduleAt(holiday, at('2026-12-01T12:00:00Z'))).toEqual({
        open: true,
        nextChange: at('2026-12-31T23:00:00Z'),
      });
      expect(scheduleAt({ weekly: {}, timeZone: zone }, at('2026-12-01T12:00:00Z'))).toEqual({
        open: false,
        nextChange: undefined,
      });
    });
  });
});

describe('parsing staff text', () => {
  it('reads ranges and says what is wrong with a bad one', () => {
    expect(parseRange('09:00-18:00')).toEqual({ start: 540, end: 1080 });
    expect(parseRange('20:00-00:00')).toEqual({ start: 1200, end: 1440 });
    expect(parseRange('9-18')).toEqual({ error: expect.stringContaining('write it as "09:00-18:00"') });
    expect(parseRange('25:00-26:00')).toEqual({ error: expect.stringContaining('hours go from 00 to 23') });
    expect(parseRange('09:00-09:00')).toEqual({ error: expect.stringContaining('same time') });
  });
  it('reads closures and refuses an impossible date or a backwards range', () => {
    expect(parseClosure('2026-12-25')).toEqual({ from: 20812, to: 20812 });
    expect(parseClosure('2026-12-24 to 2026-12-26')).toEqual({ from: 20811, to: 20813 });
    expect(parseClosure('2026-02-30')).toEqual({ error: expect.stringContaining('not a calendar date') });
    expect(parseClosure('2026-12-26..2026-12-24')).toEqual({ error: expect.stringContaining('ends before') });
  });
});
