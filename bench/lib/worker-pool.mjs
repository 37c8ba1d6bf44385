/** Fork bench worker processes and talk to them one request at a time. */
import { fork } from 'node:child_process';
import { pin } from './cpus.mjs';

const here = new URL('..', import.meta.url).pathname;

export function forkWorker(script) {
  const child = fork(here + script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  pin(child.pid, 'BENCH_LOAD_CPUS');
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    child,
    /** Send a command and resolve with the first reply (rejects on `error` or exit). */
    request(msg, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${script}: no answer to ${msg.cmd} in ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (m) => {
          cleanup();
          if (m.error) {
            reject(new Error(`${script}: ${m.error}`));
          } else {
            resolve(m);
          }
        };
        const onExit = (code) => {
          cleanup();
          reject(new Error(`${script} exited (${code}) during ${msg.cmd}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
        child.send(msg);
      });
    },
    close() {
      return new Promise((resolve) => {
        if (exited) {
          resolve();
          return;
        }
        child.once('exit', () => resolve());
        child.send({ cmd: 'close' });
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
    },
  };
}
