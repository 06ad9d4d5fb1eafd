import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CPU_CLASS,
  installRenderMode,
  installRenderModeAfterNextFrame,
  isSoftwareRenderer,
} from '../../src/lib/render-mode.js';

describe('telling a CPU-composited screen from a GPU one', () => {
  it.each([
    // The software renderers Chromium meets count as the CPU...
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', true],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', true],
    ['ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)', true],
    ['Mesa lavapipe', true],
    // ...as does a machine with no WebGL at all...
    [null, true],
    // ...and real graphics chips as the GPU.
    ['ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)', false],
    ['ANGLE (NVIDIA, NVIDIA GeForce GTX 1650 Direct3D11 vs_5_0 ps_5_0, D3D11)', false],
    ['AMD Radeon Pro 5500M OpenGL Engine', false],
    ['Apple M1', false],
  ] as const)('%s -> software: %s', (name, software) => {
    expect(isSoftwareRenderer(name)).toBe(software);
  });
});

/** A document with just enough for installRenderMode: an address, a root, a canvas. */
function fakeDocument(search: string, renderer: string | null) {
  const classes = new Set<string>();
  return {
    classes,
    doc: {
      location: { search },
      documentElement: {
        classList: {
          toggle: (c: string, on: boolean) => void (on ? classes.add(c) : classes.delete(c)),
          add: (c: string) => void classes.add(c),
        },
      },
      createElement: () => ({
        getContext: () =>
          renderer === null ? null : { RENDERER: 1, getExtension: () => null, getParameter: () => renderer },
      }),
    } as unknown as Document,
  };
}

describe('installRenderMode', () => {
  it('marks <html> when the renderer is software, and not otherwise', () => {
    const cpu = fakeDocument('', 'SwiftShader');
    expect(installRenderMode(cpu.doc)).toBe(true);
    expect(cpu.classes.has(CPU_CLASS)).toBe(true);
    const gpu = fakeDocument('', 'Intel UHD Graphics 620');
    expect(installRenderMode(gpu.doc)).toBe(false);
    expect(gpu.classes.has(CPU_CLASS)).toBe(false);
  });

  it('lets a technician override the guess from the address', () => {
    expect(installRenderMode(fakeDocument('?motion=gpu', 'SwiftShader').doc)).toBe(false);
    expect(installRenderMode(fakeDocument('?motion=cpu', 'Intel UHD Graphics 620').doc)).toBe(true);
    // Anything else is ignored rather than trusted.
    expect(installRenderMode(fakeDocument('?motion=fast', 'Intel UHD Graphics 620').doc)).toBe(false);
  });
});

describe('installRenderModeAfterNextFrame', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** A page whose animation frames come only when the test draws one. */
  function framesByHand() {
    const waiting: FrameRequestCallback[] = [];
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => waiting.push(cb));
    return () => waiting.splice(0).forEach((cb) => cb(0));
  }

  it('asks WebGL only once the next frame is drawn, then lets the motion start, once', () => {
    vi.useFakeTimers();
    const draw = framesByHand();
    const page = fakeDocument('', 'SwiftShader');
    installRenderModeAfterNextFrame(page.doc);
    vi.advanceTimersByTime(100);
    // No frame yet: the first screen is not held up by the question.
    expect(page.classes.size).toBe(0);
    draw();
    expect(page.classes.size).toBe(0);
    vi.advanceTimersByTime(0);
    expect([...page.classes].sort()).toEqual([CPU_CLASS, 'motion-known']);
    page.classes.clear();
    vi.advanceTimersByTime(5000);
    expect(page.classes.size).toBe(0);
  });

  it('decides after latestMs when no frame comes (a page out of sight)', () => {
    vi.useFakeTimers();
    framesByHand();
    const page = fakeDocument('', 'Intel UHD Graphics 620');
    installRenderModeAfterNextFrame(page.doc, 1000);
    vi.advanceTimersByTime(999);
    expect(page.classes.size).toBe(0);
    vi.advanceTimersByTime(1);
    expect([...page.classes]).toEqual(['motion-known']);
  });
});
