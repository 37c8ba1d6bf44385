#!/usr/bin/env node
// `npm test`: every tier, in order of cost. Stops at the first failing step, and ends
// with one summary line over all test runners: "N passed, N failed, N skipped".
// With CI=true nothing may be skipped for a missing binary or service (see e2e/env.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { mergeRerun, onlyCrashed, unfinished } from './vitest-crash.mjs';

const root = new URL('..', import.meta.url).pathname;
const results = `${root}test-results`;
rmSync(`${results}/vitest.json`, { force: true });
rmSync(`${results}/playwright.json`, { force: true });
mkdirSync(results, { recursive: true });

const vitestArgs = (json) => [
  '--no-install',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${json}`,
];

const steps = [
  ['format', 'npx', ['--no-install', 'prettier', '--check', '--log-level', 'warn', '.']],
  ['lint', 'npx', ['--no-install', 'eslint', '.']],
  ['build', 'node', ['scripts/build.mjs', '--quiet']],
  ['typecheck web', 'npx', ['--no-install', 'tsc', '-p', 'packages/web/tsconfig.json', '--noEmit']],
  ['typecheck e2e', 'npx', ['--no-install', 'tsc', '-p', 'e2e/tsconfig.json', '--noEmit']],
  ['unit and integration tests', 'npx', vitestArgs(`${results}/vitest.json`)],
  ['end-to-end tests (Chromium)', 'npx', ['--no-install', 'playwright', 'test']],
  ['benchmarks, quick mode', 'node', ['bench/run.mjs', '--quick']],
];

function tally() {
  const t = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(`${results}/vitest.json`)) {
    const v = JSON.parse(readFileSync(`${results}/vitest.json`, 'utf8'));
    t.passed += v.numPassedTests ?? 0;
    t.failed += v.numFailedTests ?? 0;
    t.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  }
  if (existsSync(`${results}/playwright.json`)) {
    const s = JSON.parse(readFileSync(`${results}/playwright.json`, 'utf8')).stats ?? {};
    t.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    t.flaky = s.flaky ?? 0;
    t.failed += s.unexpected ?? 0;
    t.skipped += s.skipped ?? 0;
  }
  return t;
}

function summary() {
  const t = tally();
  if (t.flaky) {
    // Passed only on their retry (the specs that allow one say why): counted as passed.
    process.stdout.write(`\nend-to-end: ${t.flaky} flaky (failed once, passed on the retry)\n`);
  }
  process.stdout.write(`\ntests: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped\n`);
  return t;
}

/**
 * Run a step with its output shown as it comes; with `keep` also keep a copy (vitest's,
 * to tell a crashed worker from a failure).
 */
function run(cmd, args, keep) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: keep ? ['inherit', 'pipe', 'pipe'] : 'inherit',
    });
    const chunks = [];
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      from?.on('data', (d) => {
        chunks.push(d);
        to.write(d);
      });
    }
    child.on('error', (err) => {
      process.stderr.write(`${cmd}: ${err.message}\n`);
      resolve({ status: 1, signal: null, output: '' });
    });
    child.on('close', (status, signal) => {
      resolve({ status, signal, output: Buffer.concat(chunks).toString() });
    });
  });
}

/** See vitest-crash.mjs: the files a dead worker left unfinished run once more, alone. */
async function rerunCrashed(r) {
  const json = `${results}/vitest.json`;
  const report = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : undefined;
  if (!report || !onlyCrashed(r.output, report)) {
    return r;
  }
  const crashed = unfinished(report);
  process.stdout.write('\n=== a test worker crashed; no test failed. Unfinished there:\n');
  for (const f of crashed) {
    process.stdout.write(`  ${f.file.replace(root, '')}: ${f.tests.join(' | ')}\n`);
  }
  process.stdout.write('=== running those files once more ===\n');
  const rerunJson = `${results}/vitest-rerun.json`;
  rmSync(rerunJson, { force: true });
  const again = await run('npx', [...vitestArgs(rerunJson), ...crashed.map((f) => f.file)], true);
  if (again.status !== 0 || !existsSync(rerunJson)) {
    return again;
  }
  const merged = mergeRerun(json, JSON.parse(readFileSync(rerunJson, 'utf8')));
  process.stdout.write(
    `=== the rerun passed; ${merged.numPassedTests} passed, ${merged.numFailedTests} failed over the whole run ===\n`,
  );
  return { ...again, status: merged.success ? 0 : 1 };
}

const only = process.argv.slice(2);
const started = Date.now();
for (const [label, cmd, args] of steps) {
  if (only.length > 0 && !only.some((o) => label.includes(o))) {
    continue;
  }
  process.stdout.write(`\n=== ${label} ===\n`);
  const t = Date.now();
  const vitest = args.includes('vitest');
  let r = await run(cmd, args, vitest);
  if (vitest && r.status !== 0) {
    r = await rerunCrashed(r);
  }
  if (r.status !== 0) {
    process.stderr.write(`\n${label}: FAILED (exit ${r.status ?? r.signal})\n`);
    summary();
    process.exit(r.status || 1);
  }
  process.stdout.write(`--- ${label}: ok in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`\nAll steps passed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
const t = summary();
if (process.env.CI === 'true' && t.skipped > 0) {
  process.stderr.write('CI: tests were skipped; with CI=true every test must run\n');
  process.exit(1);
}
if (t.passed === 0) {
  process.stderr.write('no test ran\n');
  process.exit(1);
}
