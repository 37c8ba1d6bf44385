/**
 * Optional CPU pinning, to measure as the outside run did ("one core for the
 * server"): BENCH_SERVER_CPUS and BENCH_LOAD_CPUS are taskset CPU lists (e.g. 0 and 1)
 * for the servers under test and for the load generators. Unset: no pinning.
 */
import { spawnSync } from 'node:child_process';

let warned = false;

/** Pin every thread of `pid` to the CPU list in the environment variable `name`, if set. */
export function pin(pid, name) {
  const cpus = process.env[name];
  if (!cpus) {
    return;
  }
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0 && !warned) {
    warned = true;
    process.stderr.write(
      `bench: ${name}=${cpus} ignored: taskset failed (${r.stderr || r.error})\n`,
    );
  }
}
