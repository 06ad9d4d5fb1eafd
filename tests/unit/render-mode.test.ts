import { describe, expect, it } from 'vitest';
import { CPU_CLASS, installRenderMode, isSoftwareRenderer } from '../../src/lib/render-mode.js';

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
        classList: { toggle: (c: string, on: boolean) => void (on ? classes.add(c) : classes.delete(c)) },
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
