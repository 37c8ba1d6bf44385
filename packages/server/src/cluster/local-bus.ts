import type { Bus, BusHandler, BusMessage } from './bus.js';

/** The embedded bus: one process, handlers called in place. */
export class InProcessBus implements Bus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  publish(topic: string, message: BusMessage): void {
    deliverLocally(this.handlers, topic, message);
  }

  publishInOrder(topic: string, message: BusMessage): Promise<void> {
    deliverLocally(this.handlers, topic, message);
    return Promise.resolve();
  }

  subscribe(topic: string, handler: BusHandler): Promise<void> {
    addHandler(this.handlers, topic, handler);
    return Promise.resolve();
  }

  unsubscribe(topic: string, handler: BusHandler): void {
    removeHandler(this.handlers, topic, handler);
  }

  close(): Promise<void> {
    this.handlers.clear();
    return Promise.resolve();
  }
}

/** Returns true when this was the topic's first handler. */
export function addHandler(
  map: Map<string, Set<BusHandler>>,
  topic: string,
  handler: BusHandler,
): boolean {
  let set = map.get(topic);
  const first = !set;
  if (!set) {
    set = new Set();
    map.set(topic, set);
  }
  set.add(handler);
  return first;
}

/** Returns true when this was the topic's last handler. */
export function removeHandler(
  map: Map<string, Set<BusHandler>>,
  topic: string,
  handler: BusHandler,
): boolean {
  const set = map.get(topic);
  if (!set || !set.delete(handler)) {
    return false;
  }
  if (set.size === 0) {
    map.delete(topic);
    return true;
  }
  return false;
}

/** Call every handler of `topic`; one that throws does not stop the others. */
export function deliverLocally(
  map: Map<string, Set<BusHandler>>,
  topic: string,
  message: BusMessage,
): void {
  const set = map.get(topic);
  if (!set) {
    return;
  }
  for (const h of set) {
    try {
      h(message);
    } catch (err) {
      console.error(`parley: a bus handler of ${topic} threw`, err);
    }
  }
}
