import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallEndReason, ClientMessageType, ErrorCode } from '@parley/protocol';
import type { GatewayObserver, OutboundType } from '../signaling/observer.js';

/** Gauges whose value is read from the server when Prometheus scrapes. */
export type CollectedGauge = 'connections' | 'sessions' | 'rooms' | 'seats' | 'sfu_up';

/** Reads one gauge's current value (a directory in Redis answers asynchronously). */
export type Collector = () => number | Promise<number>;

export interface MetricsOptions {
  /** This node's id, exported as `parley_node_info{node}`. */
  nodeId: string;
  /**
   * Also export prom-client's process metrics (CPU, memory, GC, handles). Off by default:
   * they install process-wide observers that tests starting many servers would pile up.
   */
  processMetrics?: boolean;
}

const GAUGE_HELP: Record<CollectedGauge, string> = {
  connections: 'Open WebSockets on this node',
  sessions: 'Signaling sessions on this node, including those waiting for a resume',
  rooms: 'Rooms open',
  seats: 'Seats taken in all rooms',
  sfu_up: "1 while this node's Janus API connection is open, else 0 (only with --sfu-url)",
};

/** The counter's children by label value: `labels()` hashes its arguments on every call. */
class LabelledCounter {
  private readonly children = new Map<string, Counter.Internal>();

  constructor(private readonly counter: Counter) {}

  inc(label: string): void {
    let child = this.children.get(label);
    if (!child) {
      child = this.counter.labels(label);
      this.children.set(label, child);
    }
    child.inc();
  }
}

/**
 * Prometheus metrics of one server, in a registry of its own (several servers in one
 * test process must not share the global one). The gateway reports traffic through the
 * `GatewayObserver` methods; features and the composition root report the rest.
 */
export class Metrics implements GatewayObserver {
  readonly registry = new Registry();
  private readonly collectors = new Map<CollectedGauge, Collector>();
  private readonly messagesIn: LabelledCounter;
  private readonly messagesOut: LabelledCounter;
  private readonly errors: LabelledCounter;
  private readonly callOutcomes: LabelledCounter;
  private readonly chatWrites: Counter;
  private readonly bus: Histogram;
  private readonly loopDelay: IntervalHistogram;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    new Gauge({
      name: 'parley_node_info',
      help: 'Always 1; the label names this node',
      labelNames: ['node'],
      registers,
    }).set({ node: options.nodeId }, 1);
    for (const name of Object.keys(GAUGE_HELP) as CollectedGauge[]) {
      const collectors = this.collectors;
      new Gauge({
        name: `parley_${name}`,
        help: GAUGE_HELP[name],
        registers,
        async collect() {
          const read = collectors.get(name);
          if (!read) {
            return;
          }
          try {
            this.set(await read());
          } catch {
            // Unknown is not zero: an unreachable directory must not look like an empty one.
            this.set(Number.NaN);
          }
        },
      });
    }
    this.messagesIn = new LabelledCounter(
      new Counter({
        name: 'parley_messages_in_total',
        help: 'Valid client messages received, by type',
        labelNames: ['type'],
        registers,
      }),
    );
    this.messagesOut = new LabelledCounter(
      new Counter({
        name: 'parley_messages_out_total',
        help: 'Messages sent to clients, by type ("other": relayed signals and unlabelled frames)',
        labelNames: ['type'],
        registers,
      }),
    );
    this.errors = new LabelledCounter(
      new Counter({
        name: 'parley_errors_total',
        help: 'Errors sent to clients, by code',
        labelNames: ['code'],
        registers,
      }),
    );
    this.callOutcomes = new LabelledCounter(
      new Counter({
        name: 'parley_call_outcomes_total',
        help: 'Direct calls ended, by reason',
        labelNames: ['reason'],
        registers,
      }),
    );
    this.chatWrites = new Counter({
      name: 'parley_chat_writes_total',
      help: 'Chat messages written to the database (resends are not counted)',
      registers,
    });
    this.bus = new Histogram({
      name: 'parley_bus_latency_seconds',
      help: 'Time from publishing on the bus to delivery on this node',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    // Our own monitor rather than the default metrics' one, so that `close` can stop it.
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
    const loop = this.loopDelay;
    new Gauge({
      name: 'parley_event_loop_lag_seconds',
      help: 'Event loop delay since the previous scrape, by quantile (max: the worst pause)',
      labelNames: ['quantile'],
      registers,
      collect() {
        this.set({ quantile: '0.5' }, loop.percentile(50) / 1e9);
        this.set({ quantile: '0.99' }, loop.percentile(99) / 1e9);
        this.set({ quantile: 'max' }, loop.max / 1e9);
        loop.reset();
      },
    });
    if (options.processMetrics) {
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** Read `parley_<name>` from `read` at each scrape (replaces an earlier collector). */
  setCollector(name: CollectedGauge, read: Collector): void {
    this.collectors.set(name, read);
  }

  messageIn(type: ClientMessageType): void {
    this.messagesIn.inc(type);
  }

  messageOut(type: OutboundType): void {
    this.messagesOut.inc(type);
  }

  errorSent(code: ErrorCode): void {
    this.errors.inc(code);
  }

  /** A direct call ended (once per call, on the node that held it). */
  callEnded(reason: CallEndReason | 'unknown'): void {
    this.callOutcomes.inc(reason);
  }

  /** A chat message was stored. */
  chatWrite(): void {
    this.chatWrites.inc();
  }

  /** One bus message's trip from publish to delivery, in milliseconds. */
  busLatency(ms: number): void {
    this.bus.observe(ms / 1000);
  }

  /** The Content-Type of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Everything, in the Prometheus text format. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Stop the event-loop monitor (idempotent). */
  close(): void {
    this.loopDelay.disable();
  }
}
