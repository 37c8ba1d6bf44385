/**
 * A small typed event emitter. `emit` is safe: a listener that throws is reported to
 * `console.error` and never breaks the emitter's caller or the other listeners, so code
 * reacting to an event cannot corrupt the emitter's state (mediasoup's `safeEmit` is the
 * same idea). The SDK's rooms and clients and the server's Janus client use it.
 */

/** Event names to argument lists; an interface works (no index signature needed). */
export type EventMap<E> = { [K in keyof E]: unknown[] };
type Listener<A extends unknown[]> = (...args: A) => void;

export class Emitter<E extends EventMap<E>> {
  private listeners = new Map<keyof E, Set<Listener<never>>>();

  /** Listen to `event`; returns a function that stops listening. */
  on<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  once<K extends keyof E>(event: K, listener: Listener<E[K]>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off();
      listener(...args);
    }) as Listener<E[K]>);
    return off;
  }

  off<K extends keyof E>(event: K, listener: Listener<E[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as Listener<E[K]>)(...args);
      } catch (err) {
        console.error(`parley: a "${String(event)}" listener threw`, err);
      }
    }
  }

  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
