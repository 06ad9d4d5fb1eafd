/**
 * `npm run content -- <command>`: the content tool for museum staff
 * (main/kiosk/content-cli.ts). Also shipped in the packaged app, where
 * `vitrine --content-cli` runs the same tool.
 */
import { pathToFileURL } from 'node:url';
import { runContentCli } from '../kiosk/content-cli.js';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runContentCli(process.argv.slice(2));
}
