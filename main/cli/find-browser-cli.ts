/** Prints the browser path on stdout, or one clear line on stderr and exits 1. */
import { findSystemBrowser } from './find-browser.js';

const found = await findSystemBrowser();
if (found.ok) {
  process.stdout.write(found.path + '\n');
} else {
  process.stderr.write(found.message + '\n');
  process.exit(1);
}
