import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.js';

describe('Readiness', () => {
  it('is ready with no checks, and when every check passes', async () => {
    const r = new Readiness();
    expect(await r.report()).toEqual({ ready: true, failing: [], degraded: [] });
    r.add('sync', () => true);
    r.add('async', async () => true);
    expect(await r.report()).toEqual({ ready: true, failing: [], degraded: [] });
  });

  it('names the checks that return false, throw, reject or hang, in the order added', async () => {
    const r = new Readiness(50);
    r.add('ok', () => true);
    r.add('false', () => false);
    r.add('throws', () => {
      throw new Error('down');
    });
    r.add('rejects', () => Promise.reject(new Error('down')));
    r.add('hangs', () => new Promise<boolean>(() => {}));
    const started = Date.now();
    expect(await r.report()).toEqual({
      ready: false,
      failing: ['false', 'throws', 'rejects', 'hangs'],
      degraded: [],
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('replaces a check added again under the same name', async () => {
    const r = new Readiness();
    r.add('redis', () => false);
    r.add('redis', () => true);
    expect(await r.report()).toEqual({ ready: true, failing: [], degraded: [] });
  });

  it('names a failing degrading check without making the node unready', async () => {
    const r = new Readiness();
    r.add('database', () => true);
    r.addDegrading('sfu', () => false);
    expect(await r.report()).toEqual({ ready: true, failing: [], degraded: ['sfu'] });
  });
});
