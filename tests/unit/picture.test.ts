import { describe, expect, it } from 'vitest';
import { screenCoverSizes, srcsetOf } from '../../src/lib/picture.js';

describe('screen-covering picture sizes', () => {
  it.each([
    ['a 4:3 picture', { width: 1600, height: 1200 }, 'max(100vw, 134vh)'],
    ['a tall picture', { width: 1000, height: 2000 }, 'max(100vw, 50vh)'],
    ['unknown proportions', {}, '100vw'],
  ])('asks for the width %s is drawn at', (_, size, sizes) => {
    expect(screenCoverSizes(size)).toBe(sizes);
  });

  it('takes the proportions from the screen copies when the slot does not record them', () => {
    const variants = [{ src: 'media/_screen/a.1920.webp', width: 1920, height: 1440 }];
    expect(screenCoverSizes({ variants })).toBe('max(100vw, 134vh)');
  });
});

describe('srcset', () => {
  it('offers each screen copy by its width, from the site root', () => {
    expect(
      srcsetOf([
        { src: 'media/_screen/a.1920.webp', width: 1920, height: 1440 },
        { src: 'media/_screen/a.3840.webp', width: 3840, height: 2880 },
      ]),
    ).toBe('/media/_screen/a.1920.webp 1920w, /media/_screen/a.3840.webp 3840w');
  });

  it('offers nothing for an image without copies, so the original is used', () => {
    expect(srcsetOf(undefined)).toBeUndefined();
  });
});
