import { existsSync, readFileSync } from 'node:fs';
import { test } from '@playwright/test';

/**
 * Chromium from Debian's package (npm never downloads a browser) and the flags every
 * launch uses: fake camera and mic, and no calls home on this closed network.
 * e2e/chromium.json is shared with the screenshot scripts and the browser benchmark.
 */
const chromium = JSON.parse(readFileSync(new URL('./chromium.json', import.meta.url), 'utf8')) as {
  executable: string;
  args: string[];
};
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? chromium.executable;
export const CHROMIUM_ARGS: readonly string[] = chromium.args;

/**
 * Skip the current test when a binary it needs is missing — loudly, and only on a
 * developer machine. With CI=true a missing piece is a failure, never a skip.
 */
export function requireBinary(path: string, what: string): void {
  if (existsSync(path)) {
    return;
  }
  missing(`${what} not found at ${path} (apt-get install it; .ci/run does)`);
}

/**
 * The same for a service the test talks to (PostgreSQL, say): `problem` is null when
 * it answered, else why not.
 */
export function requireService(problem: string | null, what: string): void {
  if (problem === null) {
    return;
  }
  missing(`${what}: ${problem}`);
}

function missing(reason: string): void {
  if (process.env.CI === 'true') {
    throw new Error(`CI: ${reason}`);
  }
  console.warn(`SKIPPED: ${reason}`);
  test.skip(true, reason);
}
