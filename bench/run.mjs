#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [--only <suite>[,<suite>]] [--servers parley,bare]`
 *
 * Runs every bench/suites/*.mjs in turn. A suite exports `title` and
 * `async run({ quick, progress, servers })` returning `{ tables, data }`; the runner
 * prints its tables and writes bench/results/<suite>.json with the machine it ran on.
 * --quick runs every suite at tiny sizes (seconds each) to prove the benches still work;
 * its results go to a temporary directory, never over the committed full results.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineInfo } from './lib/machine.mjs';
import { formatTable } from './lib/table.mjs';

const here = new URL('.', import.meta.url).pathname;
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
function listArg(name) {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1].split(',') : undefined;
}
const only = listArg('--only');
const servers = listArg('--servers');

const suiteNames = readdirSync(join(here, 'suites'))
  .filter((f) => f.endsWith('.mjs'))
  .map((f) => f.slice(0, -4))
  .sort();
const unknown = (only ?? []).filter((n) => !suiteNames.includes(n));
if (unknown.length) {
  process.stderr.write(`bench: no suite ${unknown.join(', ')} (have ${suiteNames.join(', ')})\n`);
  process.exit(2);
}
const outDir = quick ? join(tmpdir(), 'parley-bench-quick') : join(here, 'results');
mkdirSync(outDir, { recursive: true });

const started = Date.now();
const failed = [];
for (const name of suiteNames) {
  if (only && !only.includes(name)) {
    continue;
  }
  const suite = await import(join(here, 'suites', `${name}.mjs`));
  const t0 = Date.now();
  process.stdout.write(`\n=== ${suite.title ?? name}${quick ? ' (quick)' : ''} ===\n`);
  const progress = (line) => {
    const s = ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
    process.stdout.write(`  [${s} s] ${line}\n`);
  };
  try {
    const { tables, data } = await suite.run({ quick, progress, servers });
    for (const t of tables) {
      process.stdout.write('\n' + formatTable(t) + '\n');
    }
    const file = join(outDir, `${name}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          suite: name,
          title: suite.title ?? name,
          quick,
          machine: machineInfo(),
          durationS: Math.round((Date.now() - t0) / 100) / 10,
          tables,
          data,
        },
        null,
        2,
      ) + '\n',
    );
    process.stdout.write(
      `\n${name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${file}\n`,
    );
  } catch (err) {
    failed.push(name);
    process.stderr.write(`\n${name}: FAILED: ${err?.stack ?? err}\n`);
  }
}
process.stdout.write(`\nbench: ${((Date.now() - started) / 1000).toFixed(0)} s in all\n`);
if (failed.length) {
  process.stderr.write(`bench: failed suites: ${failed.join(', ')}\n`);
  process.exit(1);
}
// Workers and servers are children: make sure nothing keeps us alive.
process.exit(0);
