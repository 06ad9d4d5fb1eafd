import { describe, expect, it } from 'vitest';
import { countUpText, findNumbers } from '../../src/components/extras/count-up.js';
import { pluralCategory, timelineRows } from '../../src/components/extras/timeline-layout.js';
import type { TimelineEntry } from '../../main/content/schema.js';
import extras from '../../src/lib/i18n/lazy/extras.js';

const entry = (date: string, chapter = 'c'): TimelineEntry => ({
  date,
  dateLabel: { en: date },
  text: { en: date },
  chapter,
});

describe('timelineRows', () => {
  it('orders dates of any precision and breaks long silences', () => {
    const rows = timelineRows([
      entry('1945-09-02'),
      entry('1905'),
      entry('1941-04-13'),
      entry('2020'),
      entry('1945-08'),
      entry('1995-03-13'),
    ]);
    const shape = rows.map((r) =>
      r.kind === 'entry' ? r.entry.date : r.kind === 'year' ? `Y${r.year}` : `gap ${r.years}`,
    );
    expect(shape).toEqual([
      'Y1905',
      '1905',
      'gap 36',
      'Y1941',
      '1941-04-13',
      'gap 4',
      'Y1945',
      '1945-08',
      '1945-09-02',
      'gap 50',
      'Y1995',
      '1995-03-13',
      'gap 25',
      'Y2020',
      '2020',
    ]);
  });

  it('keeps the curator’s order for the same date and shows close years without a break', () => {
    const rows = timelineRows([entry('1943', 'a'), entry('1945-09-02', 'b'), entry('1945-09-02', 'c')]);
    expect(rows.filter((r) => r.kind === 'gap')).toEqual([]);
    expect(rows.flatMap((r) => (r.kind === 'entry' ? [r.entry.chapter] : []))).toEqual(['a', 'b', 'c']);
  });
});

describe('pluralCategory', () => {
  it('follows Russian rules', () => {
    expect([1, 2, 5, 11, 21, 22, 25, 36, 50, 104].map((n) => pluralCategory('ru', n))).toEqual([
      'one',
      'few',
      'many',
      'many',
      'one',
      'few',
      'many',
      'many',
      'many',
      'few',
    ]);
    expect(pluralCategory('en', 1)).toBe('one');
    expect(pluralCategory('en', 36)).toBe('many');
  });
  it('has every year form in both languages', () => {
    for (const form of ['one', 'few', 'many']) {
      expect(extras.en[`extras.years.${form}` as keyof typeof extras.en]).toContain('{n}');
      expect(extras.ru[`extras.years.${form}` as keyof typeof extras.ru]).toContain('{n}');
    }
  });
});

describe('count-up text', () => {
  it('reads grouping and decimal marks the way each language writes them', () => {
    expect(findNumbers('over 1.6 million').map((t) => t.value)).toEqual([1.6]);
    expect(findNumbers('5,250').map((t) => t.value)).toEqual([5250]);
    expect(findNumbers('более 1,6 млн').map((t) => t.value)).toEqual([1.6]);
    expect(findNumbers('около 30\u00a0000').map((t) => t.value)).toEqual([30000]);
    expect(findNumbers('32–59').map((t) => t.value)).toEqual([32, 59]);
    expect(findNumbers('up to 6 + 4').map((t) => t.value)).toEqual([6, 4]);
  });

  it('counts every number up while the words stay, and ends on the text exactly', () => {
    expect(countUpText('over 1.6 million', 0.5)).toBe('over 0.8 million');
    expect(countUpText('5,250', 0.5)).toBe('2,625');
    expect(countUpText('около 30 000', 0.5)).toBe('около 15 000');
    expect(countUpText('32–59', 0)).toBe('0–0');
    expect(countUpText('more than 300', 1)).toBe('more than 300');
  });
});
