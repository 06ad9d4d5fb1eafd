/**
 * The appliance files a technician installs (assets/deploy/): they start the
 * binary the deb really installs, keep it running whatever ends it, and speak
 * the app's own restart protocol, so the kiosk comes back without a person.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../electron.config.js';
import { RESTART_EXIT_CODE, SUPERVISED_ENV } from '../../main/kiosk/restart.js';

const deploy = path.resolve(import.meta.dirname, '../../assets/deploy');
const read = (name: string) => readFileSync(path.join(deploy, name), 'utf8');

/** An INI-style file (systemd unit, desktop entry) as section -> key -> values (keys may repeat). */
function parseIni(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq < 1) throw new Error(`not a key=value line: ${line}`);
    const key = line.slice(0, eq).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return sections;
}

/** Where electron-builder's deb puts the executable: /opt/<productName>/<linux.executableName>. */
const debBinary = `/opt/${config.productName}/${config.linux?.executableName}`;

describe('the systemd user unit', () => {
  const unit = parseIni(read('vitrine.service'));
  const service = unit.get('Service')!;

  it('starts the binary the deb installs', () => {
    expect(debBinary).toBe('/opt/Vitrine/vitrine');
    expect(service.get('ExecStart')).toEqual([debBinary]);
  });

  it('restarts the kiosk whatever ends it, and never stops trying', () => {
    expect(service.get('Restart')).toEqual(['always']);
    expect(Number(service.get('RestartSec')?.[0])).toBeGreaterThan(0);
    expect(unit.get('Unit')!.get('StartLimitIntervalSec')).toEqual(['0']);
  });

  it("lets the kiosk ask for its restart by exit code, so the new process is the service's own", () => {
    expect(service.get('Environment')).toContain(`${SUPERVISED_ENV}=1`);
    // Only a refusal (bad flag, debugger switch: exit 2) stays down; the restart code is never among them.
    const prevented = (service.get('RestartPreventExitStatus') ?? []).join(' ').split(/\s+/);
    expect(prevented).toEqual(['2']);
    expect(prevented).not.toContain(String(RESTART_EXIT_CODE));
  });

  it('belongs to the desktop session', () => {
    expect(unit.get('Install')!.get('WantedBy')).toEqual(['graphical-session.target']);
  });
});

describe('the XDG autostart entry', () => {
  it('starts the same installed binary at login', () => {
    const entry = parseIni(read('vitrine-kiosk.desktop')).get('Desktop Entry')!;
    expect(entry.get('Type')).toEqual(['Application']);
    expect(entry.get('Exec')).toEqual([debBinary]);
  });
});

describe('the Windows watchdog', () => {
  const watchdog = read('vitrine-watchdog.ps1');

  it('starts the per-machine install and speaks the restart protocol', () => {
    expect(watchdog).toContain(`'${config.productName}\\${config.productName}.exe'`);
    expect(watchdog).toContain(`$env:${SUPERVISED_ENV} = '1'`);
    expect(watchdog).toMatch(new RegExp(`\\$code -eq ${RESTART_EXIT_CODE}\\b`));
    // Any other end, a clean exit included, is started again.
    expect(watchdog).toMatch(/while \(\$true\)/);
  });

  it('is what the installer registers at logon', () => {
    const installer = read('install-windows-kiosk.ps1');
    expect(installer).toContain("'vitrine-watchdog.ps1'");
    expect(installer).toContain('New-ScheduledTaskTrigger -AtLogOn');
    expect(installer).toContain('-ExecutionTimeLimit ([TimeSpan]::Zero)');
  });
});
