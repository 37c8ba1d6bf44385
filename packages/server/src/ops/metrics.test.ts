import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

const open: Metrics[] = [];
afterEach(() => {
  for (const m of open.splice(0)) {
    m.close();
  }
});

function metrics(): Metrics {
  const m = new Metrics({ nodeId: 'node-a' });
  open.push(m);
  return m;
}

/** The value of one sample line, e.g. `parley_errors_total{code="bad_json"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Metrics', () => {
  it('counts by label, names the node and reads gauges from collectors', async () => {
    const m = metrics();
    m.messageIn('join');
    m.messageIn('join');
    m.messageOut('joined');
    m.messageOut('other');
    m.errorSent('room_full');
    m.callEnded('hangup');
    m.chatWrite();
    m.busLatency(3);
    m.setCollector('sessions', () => 7);
    m.setCollector('seats', async () => 3);
    const text = await m.render();
    expect(sample(text, 'parley_node_info{node="node-a"}')).toBe(1);
    expect(sample(text, 'parley_messages_in_total{type="join"}')).toBe(2);
    expect(sample(text, 'parley_messages_out_total{type="joined"}')).toBe(1);
    expect(sample(text, 'parley_messages_out_total{type="other"}')).toBe(1);
    expect(sample(text, 'parley_errors_total{code="room_full"}')).toBe(1);
    expect(sample(text, 'parley_call_outcomes_total{reason="hangup"}')).toBe(1);
    expect(sample(text, 'parley_chat_writes_total')).toBe(1);
    expect(sample(text, 'parley_bus_latency_seconds_count')).toBe(1);
    expect(sample(text, 'parley_bus_latency_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'parley_sessions')).toBe(7);
    expect(sample(text, 'parley_seats')).toBe(3);
    expect(text).toContain('parley_event_loop_lag_seconds{quantile="0.99"}');
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it('reports a collector that fails as NaN, not as zero', async () => {
    const m = metrics();
    m.setCollector('rooms', () => Promise.reject(new Error('redis down')));
    expect(sample(await m.render(), 'parley_rooms')).toBeNaN();
  });

  it('keeps each server in its own registry', async () => {
    const a = metrics();
    const b = metrics();
    a.chatWrite();
    expect(sample(await a.render(), 'parley_chat_writes_total')).toBe(1);
    expect(sample(await b.render(), 'parley_chat_writes_total')).toBe(0);
  });
});
