import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/env';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Each test runs several Chromium contexts with fake media: one test at a time on 2 cores.
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  // list for people; json for the summary line of scripts/test.mjs.
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  // Keep Playwright's own artefacts in a subfolder: it empties this folder at start.
  outputDir: 'test-results/e2e',
  use: {
    browserName: 'chromium',
    permissions: ['camera', 'microphone'],
    launchOptions: {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
