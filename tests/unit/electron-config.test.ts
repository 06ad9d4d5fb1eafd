import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, pickKioskArgs } from '../../main/electron/config.js';

const base = { env: {}, cwd: '/srv', appRoot: '/opt/vitrine' };

describe('pickKioskArgs', () => {
  it("keeps the kiosk's flags and drops Electron's and Chromium's", () => {
    const argv = [
      '--inspect=0',
      '--remote-debugging-port=0',
      'dist/main/electron/main.js',
      '--content',
      '/data/exhibit',
      '--idle-seconds=30',
      '--inbox',
      '/media/usb',
      '--no-open',
      '--enable-logging',
    ];
    expect(pickKioskArgs(argv)).toEqual([
      '--content',
      '/data/exhibit',
      '--idle-seconds=30',
      '--inbox',
      '/media/usb',
      '--no-open',
    ]);
  });
});

describe('loadConfig', () => {
  it('turns flags into validated settings overrides', () => {
    const r = loadConfig({ ...base, argv: ['main.js', '--idle-seconds', '45', '--attract-seconds', '6'] });
    if (!r.ok) throw new Error(r.message);
    expect(r.config.settings).toEqual({
      idleSeconds: 45,
      attractSecondsPerSlide: 6,
      countdownSeconds: undefined,
    });
    expect(r.config.rendererDir).toBe(path.join('/opt/vitrine', 'dist', 'renderer'));
    expect(r.config.dev).toBe(false);
    expect(r.config.windowed).toBe(false);
  });

  it('reports a bad flag in one line', () => {
    const r = loadConfig({ ...base, argv: ['--idle-seconds', 'soon'] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/idle-seconds/);
      expect(r.message).not.toContain('\n');
    }
  });

  it('prefers --content, then VITRINE_CONTENT, then the packaged exhibit', () => {
    const packaged = { ...base, packagedResources: '/opt/vitrine/resources' };
    const fromFlag = loadConfig({
      ...packaged,
      env: { VITRINE_CONTENT: '/env' },
      argv: ['--content', 'mine'],
    });
    const fromEnv = loadConfig({ ...packaged, env: { VITRINE_CONTENT: '/env' }, argv: [] });
    const fromPackage = loadConfig({ ...packaged, argv: [] });
    expect(fromFlag.ok && fromFlag.config.contentDir).toBe(path.resolve('/srv', 'mine'));
    expect(fromEnv.ok && fromEnv.config.contentDir).toBe(path.resolve('/env'));
    expect(fromPackage.ok && fromPackage.config.contentDir).toBe(
      path.resolve('/opt/vitrine/resources/exhibit'),
    );
  });

  it('reads developer mode and windowed mode from the environment, and rejects nonsense', () => {
    const dev = loadConfig({ ...base, argv: [], env: { VITRINE_DEV: '1', VITRINE_WINDOWED: 'true' } });
    expect(dev.ok && dev.config.dev).toBe(true);
    expect(dev.ok && dev.config.windowed).toBe(true);
    const bad = loadConfig({ ...base, argv: [], env: { VITRINE_DEV: 'maybe' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/VITRINE_DEV/);
  });

  it('takes --inbox, resolved against the working folder', () => {
    const r = loadConfig({ ...base, argv: ['--inbox', 'usb'] });
    expect(r.ok && r.config.inboxDir).toBe(path.resolve('/srv', 'usb'));
    const none = loadConfig({ ...base, argv: [] });
    expect(none.ok && none.config.inboxDir).toBeUndefined();
  });

  it("marks the app's own exhibit as seed-only content, and a museum's folder as live", () => {
    const packaged = { ...base, packagedResources: '/opt/vitrine/resources' };
    const shipped = loadConfig({ ...packaged, argv: [] });
    expect(shipped.ok && shipped.config.bundledContent).toBe(true);
    const bundled = loadConfig({ ...base, argv: [] });
    expect(bundled.ok && bundled.config.bundledContent).toBe(true);
    const own = loadConfig({ ...packaged, argv: ['--content', '/data/our-exhibit'] });
    expect(own.ok && own.config.bundledContent).toBe(false);
  });
});
