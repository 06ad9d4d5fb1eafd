import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../main/kiosk/flags.js';
import { bundledExhibitDir, packageRoot } from '../../main/kiosk/paths.js';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function ok(argv: string[], env: Record<string, string | undefined> = {}, cwd = '/somewhere') {
  const result = parseArgs(argv, env, cwd);
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.options;
}

function fail(argv: string[]): string {
  const result = parseArgs(argv, {}, '/somewhere');
  if (result.ok) throw new Error(`expected an error for ${argv.join(' ')}`);
  return result.message;
}

describe('parseArgs', () => {
  it('uses the bundled exhibit and opens a window by default', () => {
    const o = ok([]);
    expect(o).toEqual({
      port: undefined,
      contentDir: path.join(repoRoot, 'assets', 'exhibit'),
      idleSeconds: undefined,
      attractSeconds: undefined,
      countdownSeconds: undefined,
      open: true,
      help: false,
    });
  });

  it('finds the repository root from its own location, whatever the cwd', () => {
    expect(packageRoot()).toBe(repoRoot);
    expect(bundledExhibitDir()).toBe(path.join(repoRoot, 'assets', 'exhibit'));
  });

  it('reads every flag, in either --flag value or --flag=value form', () => {
    const o = ok([
      '--port',
      '4173',
      '--content=exhibits/a',
      '--idle-seconds',
      '10',
      '--attract-seconds=2.5',
      '--countdown-seconds',
      '5',
      '--no-open',
    ]);
    expect(o).toMatchObject({
      port: 4173,
      contentDir: '/somewhere/exhibits/a',
      idleSeconds: 10,
      attractSeconds: 2.5,
      countdownSeconds: 5,
      open: false,
    });
  });

  it('accepts port 0 for any free port', () => {
    expect(ok(['--port', '0']).port).toBe(0);
  });

  it('honours VITRINE_CONTENT, but an explicit --content wins', () => {
    expect(ok([], { VITRINE_CONTENT: '/srv/exhibit' }).contentDir).toBe('/srv/exhibit');
    expect(ok(['--content', '/a'], { VITRINE_CONTENT: '/srv/exhibit' }).contentDir).toBe('/a');
    expect(ok([], { VITRINE_CONTENT: '  ' }).contentDir).toBe(path.join(repoRoot, 'assets', 'exhibit'));
  });

  it('recognises --help and -h', () => {
    expect(ok(['--help']).help).toBe(true);
    expect(ok(['-h']).help).toBe(true);
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535, not "abc"'],
    [['--port', '70000'], '--port must be a whole number from 0 to 65535, not 70000'],
    [['--port', '80.5'], '--port must be a whole number from 0 to 65535, not "80.5"'],
    [['--port=-1'], '--port must be a whole number from 0 to 65535, not -1'],
    [['--idle-seconds', '2'], '--idle-seconds must be a whole number from 5 to 3600, not 2'],
    [['--attract-seconds', 'soon'], '--attract-seconds must be a number from 2 to 120, not "soon"'],
    [['--countdown-seconds', '500'], '--countdown-seconds must be a whole number from 3 to 120, not 500'],
    [['--port'], '--port needs a value, e.g. --port 4173'],
    [['--content', ''], '--content needs a folder, e.g. --content ./my-exhibit'],
    [['--verbose'], 'unknown option --verbose (see --help)'],
    [['--no-open=yes'], '--no-open does not take a value (see --help)'],
    [['serve'], 'unexpected argument "serve" (options start with --; see --help)'],
  ])('refuses %j with one clear line', (argv, message) => {
    const got = fail(argv);
    expect(got).toBe(message);
    expect(got).not.toContain('\n');
  });
});
