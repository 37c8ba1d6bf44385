import { sql } from 'kysely';
import type { Database } from '../store/index.js';

/** One readiness check: true (or resolving true) when ready; false, a throw or a rejection when not. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, in the order they were added. */
  failing: string[];
  /** Names of the degrading checks that failed: the node still takes traffic. */
  degraded: string[];
}

/**
 * Named checks that all must pass for this node to take traffic (`/readyz`). They run
 * in parallel, each bounded by a timeout: a database that hangs makes the node not ready,
 * it must not make the probe hang.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly degrading = new Map<string, ReadinessCheck>();

  constructor(private readonly timeoutMs = 2000) {}

  /** Add a check (a name used twice replaces the earlier check). */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /**
   * Add a check whose failure leaves the node ready but is named in `degraded` (Janus:
   * mesh rooms work without it, so a node must not leave the load balancer for it).
   */
  addDegrading(name: string, check: ReadinessCheck): void {
    this.degrading.set(name, check);
  }

  async report(): Promise<ReadinessReport> {
    const entries = [...this.checks];
    const soft = [...this.degrading];
    const [results, softResults] = await Promise.all([
      Promise.all(entries.map(([, check]) => this.run(check))),
      Promise.all(soft.map(([, check]) => this.run(check))),
    ]);
    const failing = entries.filter((_, i) => !results[i]).map(([name]) => name);
    const degraded = soft.filter((_, i) => !softResults[i]).map(([name]) => name);
    return { ready: failing.length === 0, failing, degraded };
  }

  private async run(check: ReadinessCheck): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), this.timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(check), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The database answers a trivial query (SQLite and PostgreSQL alike). */
export function databaseCheck(db: Database): ReadinessCheck {
  return async () => {
    await sql`select 1`.execute(db);
    return true;
  };
}
