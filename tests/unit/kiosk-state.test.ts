import { describe, expect, it } from 'vitest';
import { Kiosk } from '../../src/lib/kiosk.svelte.js';

function kiosk() {
  const k = new Kiosk();
  k.configure({ defaultLang: 'en', chapterCount: 14 });
  return k;
}

describe('Kiosk visitor state', () => {
  it('starts on the attract loop in the default language', () => {
    const k = kiosk();
    expect(k.screen).toBe('attract');
    expect(k.lang).toBe('en');
  });

  it('walks chapters within bounds and remembers the direction of travel', () => {
    const k = kiosk();
    k.wake();
    expect(k.screen).toBe('home');
    k.openChapter(12);
    expect(k.next()).toBe(true);
    expect(k.chapter).toBe(13);
    expect(k.direction).toBe(1);
    expect(k.next()).toBe(false);
    expect(k.chapter).toBe(13);
    expect(k.previous()).toBe(true);
    expect(k.direction).toBe(-1);
    k.openChapter(99);
    expect(k.chapter).toBe(13);
    k.openChapter(0);
    expect(k.previous()).toBe(false);
  });

  it('opens and closes the viewer on the same chapter', () => {
    const k = kiosk();
    k.openChapter(4);
    k.openViewer(1);
    expect(k.screen).toBe('viewer');
    expect(k.viewer).toEqual({ image: 1 });
    k.closeViewer();
    expect(k.screen).toBe('chapter');
    expect(k.chapter).toBe(4);
    expect(k.image).toBe(1);
  });

  it('reset clears every bit of visitor state', () => {
    const k = kiosk();
    k.openChapter(7);
    k.openViewer(2);
    k.setLang('ru');
    k.reset();
    expect(k.screen).toBe('attract');
    expect(k.chapter).toBe(0);
    expect(k.image).toBe(0);
    expect(k.viewer).toBeNull();
    expect(k.lang).toBe('en');
  });

  it('resets to the exhibit default language, not always English', () => {
    const k = new Kiosk();
    k.configure({ defaultLang: 'ru', chapterCount: 3 });
    expect(k.lang).toBe('ru');
    k.setLang('en');
    k.reset();
    expect(k.lang).toBe('ru');
  });
});
