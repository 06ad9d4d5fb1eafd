/** Restarts of a supervised Electron kiosk: the supervisor, not `app.relaunch()`, starts the new one. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { KioskSupervisor, type SupervisedChild } from '../../main/cli/launcher.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV, restartApp } from '../../main/kiosk/restart.js';

class FakeChild extends EventEmitter {
  kill = vi.fn(() => true);
}

function supervise() {
  const children: FakeChild[] = [];
  const timers: Array<() => void> = [];
  const onEnd = vi.fn();
  const log = vi.fn();
  const sup = new KioskSupervisor('/opt/electron', ['main.js'], {
    name: 'Electron kiosk',
    spawn: () => {
      const c = new FakeChild();
      children.push(c);
      return c as unknown as SupervisedChild;
    },
    now: () => 0,
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
    log,
    onEnd,
    fatalCodes: [2],
    restartCodes: [RESTART_EXIT_CODE],
  });
  return { sup, children, timers, onEnd, log };
}

describe('KioskSupervisor restart codes', () => {
  it('starts a new kiosk at once when the old one asks to restart, without ending or backing off', () => {
    const s = supervise();
    s.sup.start();
    s.children[0]!.emit('exit', RESTART_EXIT_CODE, null);
    expect(s.children).toHaveLength(2);
    expect(s.timers).toHaveLength(0);
    expect(s.onEnd).not.toHaveBeenCalled();
    expect(s.log).toHaveBeenCalledWith(expect.stringMatching(/asked to restart/));
    // The new one is watched like the first: a clean exit still ends supervision.
    s.children[1]!.emit('exit', 0, null);
    expect(s.onEnd).toHaveBeenCalledWith(0);
  });

  it('does not restart after it was told to stop', () => {
    const s = supervise();
    s.sup.start();
    s.sup.stop();
    s.children[0]!.emit('exit', RESTART_EXIT_CODE, null);
    expect(s.children).toHaveLength(1);
  });
});

describe('restartApp', () => {
  it('exits with the restart code under the supervisor, leaving the relaunch to it', () => {
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    restartApp(app, { [SUPERVISED_ENV]: '1' });
    expect(app.relaunch).not.toHaveBeenCalled();
    expect(app.exit).toHaveBeenCalledWith(RESTART_EXIT_CODE);
  });

  it('relaunches itself when nothing supervises it (packaged app, autostart)', () => {
    const order: string[] = [];
    const app = { relaunch: () => order.push('relaunch'), exit: (c: number) => order.push(`exit ${c}`) };
    restartApp(app, {});
    expect(order).toEqual(['relaunch', 'exit 0']);
  });

  it('relaunches the AppImage file, not its temporary mount, so the kiosk comes back', () => {
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    restartApp(app, { APPIMAGE: '/home/kiosk/Vitrine.AppImage' }, [
      '/tmp/.mount_VitrineX/vitrine',
      '--inbox',
      '/media/usb',
    ]);
    expect(app.relaunch).toHaveBeenCalledWith({
      execPath: '/home/kiosk/Vitrine.AppImage',
      args: ['--inbox', '/media/usb'],
    });
    expect(app.exit).toHaveBeenCalledWith(0);
  });

  it('relaunches the deb or Windows install in place (Electron keeps its own path and arguments)', () => {
    const app = { relaunch: vi.fn(), exit: vi.fn() };
    restartApp(app, {}, ['/opt/Vitrine/vitrine']);
    expect(app.relaunch).toHaveBeenCalledWith();
  });
});
