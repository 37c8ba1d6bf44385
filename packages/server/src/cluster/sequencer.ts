/**
 * Runs tasks one at a time per key, across every node: what one task wrote and
 * published is finished before the next task with that key starts, wherever it runs.
 * Room chat uses it so that the order messages are stored in (their `seq`) is the
 * order every member receives them in.
 */
export interface Sequencer {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** One process: a promise chain per key. */
export class LocalSequencer implements Sequencer {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) {
        this.queues.delete(key);
      }
    });
    return next;
  }
}
