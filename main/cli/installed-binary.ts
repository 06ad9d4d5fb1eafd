/**
 * Where this install's Electron binary is, found from the `electron`
 * package's own files, never by `require('electron')`, which would try to
 * download the binary on an offline machine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findElectronBinary, type ElectronBinary } from './launcher.js';

/** {@link findElectronBinary} against the installed `electron` package and the real file system. */
export function installedElectronBinary(): ElectronBinary {
  let dir: string | undefined;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    dir = undefined;
  }
  return findElectronBinary(dir, process.env, {
    exists: existsSync,
    readFile: (f) => readFileSync(f, 'utf8'),
  });
}
