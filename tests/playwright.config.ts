import { defineConfig, devices } from '@playwright/test';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

// Resolved once here so every worker launches the same browser; the lookup is
// in main/cli/find-browser.ts and its order is unit-tested.
function browserPath(): string {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'main/cli/find-browser-cli.ts'], {
    encoding: 'utf8',
  }).trim();
  return out;
}

const executablePath = process.env.VITRINE_RESOLVED_CHROMIUM ?? browserPath();
process.env.VITRINE_RESOLVED_CHROMIUM = executablePath;
if (!existsSync(executablePath)) throw new Error(`Chromium not found at ${executablePath}`);

export default defineConfig({
  testDir: '.',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  outputDir: '../test-results',
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
});
