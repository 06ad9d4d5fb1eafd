import { describe, expect, it } from 'vitest';
import { slideDuration, slideKeyframes } from '../../src/lib/page-slide.js';

const px = (k: Keyframe) => Number(/translate3d\((-?\d+)px/.exec(String(k.transform))?.[1]);

describe('the page slide', () => {
  it('brings a page in from the side of travel to its place, easing out, in whole pixels', () => {
    const frames = slideKeyframes(1920, 0, 460, false);
    const at = frames.map(px);
    expect(at[0]).toBe(1920);
    expect(at.at(-1)).toBe(0);
    expect(at.every(Number.isInteger)).toBe(true);
    // Always towards its place, fastest at the start.
    for (let i = 1; i < at.length; i++) expect(at[i]!).toBeLessThanOrEqual(at[i - 1]!);
    expect(at[0]! - at[1]!).toBeGreaterThan(at.at(-2)! - at.at(-1)!);
    expect(frames[0]!.offset).toBe(0);
    expect(frames.at(-1)!.offset).toBe(1);
  });

  it('comes from the left when going back', () => {
    const at = slideKeyframes(-1080, 0, 460, false).map(px);
    expect(at[0]).toBe(-1080);
    expect(at.at(-1)).toBe(0);
  });

  it('lays out about one keyframe per frame at 60 Hz', () => {
    expect(slideKeyframes(1920, 0, 460, false)).toHaveLength(29);
  });

  it('holds each position rather than blending between them when asked to snap', () => {
    expect(new Set(slideKeyframes(1920, 0, 460, true).map((k) => k.easing))).toEqual(new Set(['step-end']));
    expect(new Set(slideKeyframes(1920, 0, 460, false).map((k) => k.easing))).toEqual(new Set(['linear']));
  });
});

describe('a slide a finger has begun', () => {
  it('goes on from where the finger left the page, to its place', () => {
    const at = slideKeyframes(1920 - 600, 0, 300, false).map(px);
    expect(at[0]).toBe(1320);
    expect(at.at(-1)).toBe(0);
    for (let i = 1; i < at.length; i++) expect(at[i]!).toBeLessThanOrEqual(at[i - 1]!);
  });

  it('springs a page back out of sight, or back to rest, from any offset', () => {
    expect(slideKeyframes(-1500, -1920, 200, false).map(px).at(-1)).toBe(-1920);
    expect(slideKeyframes(-420, 0, 200, false).map(px).at(-1)).toBe(0);
  });

  it('takes less time for a page already part way, never less than a fraction of a full slide', () => {
    expect(slideDuration(1920, 1920, 460)).toBe(460);
    expect(slideDuration(960, 1920, 460)).toBe(230);
    expect(slideDuration(50, 1920, 460)).toBe(184);
    expect(slideDuration(-1920, 1920, 460)).toBe(460);
    expect(slideDuration(900, 1920, 0)).toBe(0);
  });
});
