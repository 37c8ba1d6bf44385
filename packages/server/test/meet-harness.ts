/**
 * Shared by the meet and board suites: a fresh server per test (the queue and the board
 * are shared state, so tests must not see each other's people), guest or signed-in tabs
 * that alternate between the nodes of a two-node deployment, and a way to drop a tab's
 * connection without a goodbye (a lost network, not a closed tab).
 */
import { afterEach } from 'vitest';
import type { ParleyServer } from '../src/app.js';
import type { Config } from '../src/config.js';
import { startServer, Tab, type TestUser } from './accounts-harness.js';
import type { DeploymentContext } from './store-backends.js';

/** Fast ticks for tests; each test overrides what it is about. */
export const MEET_TEST_CONFIG: Partial<Config> = {
  meetPairIntervalMs: 100,
  meetQueuePushMs: 100,
  meetAnyoneAfterMs: 60_000,
  meetNextIntervalMs: 0,
  resumeGraceMs: 2000,
};

export interface MeetEnv {
  server: ParleyServer;
  tab(user?: TestUser): Promise<Tab>;
}

export function meetEnvs(backend: DeploymentContext): (o?: Partial<Config>) => Promise<MeetEnv> {
  const open: { server: ParleyServer; tabs: Tab[] }[] = [];
  afterEach(async () => {
    for (const { server, tabs } of open.splice(0)) {
      await Promise.all(tabs.map((t) => t.close()));
      await server.close();
    }
  });
  return async (overrides = {}) => {
    const server = await startServer(backend.options(), { ...MEET_TEST_CONFIG, ...overrides });
    const tabs: Tab[] = [];
    open.push({ server, tabs });
    return {
      server,
      async tab(user) {
        const t = await Tab.open(server, user?.cookie);
        tabs.push(t);
        return t;
      },
    };
  };
}

/** Drop the connection without a close handshake: the session waits for a resume. */
export function dropConnection(tab: Tab): void {
  tab.ws.terminate();
}

/** The latest message of `type` a tab received. */
export function last(tab: Tab, type: string): Record<string, unknown> | undefined {
  const all = tab.all(type);
  return all[all.length - 1];
}
