#!/usr/bin/env node
/**
 * `npm run bench:report`: rebuild docs/BENCHMARKS.md and docs/bench/*.svg from the full
 * results in bench/results/*.json (written by `npm run bench`). Nothing is measured here.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLORS, barChart, lineChart } from './lib/svg.mjs';
import { round } from './lib/stats.mjs';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, 'bench/results');
const chartDir = join(root, 'docs/bench');
mkdirSync(chartDir, { recursive: true });

const ORDER = ['relay', 'connections', 'browser-setup', 'startup'];
const LABEL = {
  parley: 'Parley',
  bare: 'bare ws relay',
  peerjs: 'PeerJS server',
  socketio: 'Socket.IO gateway',
};

function load(name) {
  const file = join(resultsDir, `${name}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

function mdTable({ columns, rows }) {
  const cell = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

const ratio = (a, b) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${round(a / b, 2)}×` : 'n/a';

function chart(name, svg) {
  writeFileSync(join(chartDir, `${name}.svg`), svg);
  return `![${name} chart](bench/${name}.svg)`;
}

function suiteTables(result) {
  return result.tables
    .filter((t) => !/targets$/i.test(t.title))
    .map((t) => `**${t.title}**\n\n${mdTable(t)}`)
    .join('\n\n');
}

const sections = {
  relay(r) {
    // Variants (`parley@<ref>`, `parley+young16`) carry their own label.
    const servers = r.data.servers.map((s) => ({
      ...s,
      name: LABEL[s.kind] ?? s.label ?? s.kind,
      color: COLORS[s.kind] ?? '#7c3aed',
    }));
    const by = Object.fromEntries(servers.map((s) => [s.kind, s]));
    const p = by.parley;
    const refs = servers.filter((s) => s.kind !== 'parley');
    const ratios = {
      columns: [
        'Parley vs',
        'capacity ratio (higher is better)',
        'server CPU per message ratio',
        'p50 ratio @ fixed load',
        'p99 ratio @ fixed load',
      ],
      rows: refs.map((s) => [
        s.name,
        ratio(p?.capacity, s.capacity),
        ratio(p?.cpuUsPerMsg, s.cpuUsPerMsg),
        ratio(p?.fixed.p50, s.fixed.p50),
        ratio(p?.fixed.p99, s.fixed.p99),
      ]),
    };
    const yMax = 20;
    const svg = lineChart({
      title: 'Relay p99 latency vs offered load (hollow: generator fell behind)',
      xLabel: 'offered load (messages/s)',
      yLabel: 'p99 relay latency (ms)',
      yMax,
      limit: { value: r.data.p99LimitMs, label: `${r.data.p99LimitMs} ms limit` },
      series: servers.map((s) => ({
        name: s.name,
        color: s.color,
        // A generator-limited step says little about the server: drawn hollow.
        points: s.steps.map((st) => [st.rate, st.p99 ?? Infinity, st.generatorLimited]),
      })),
    });
    const cpuSvg = barChart({
      title: `Server CPU per relayed message at ${r.data.settings.fixedRate} msg/s`,
      xLabel: 'server',
      yLabel: 'CPU µs per message (lower is better)',
      groups: servers.map((s) => ({
        label: s.name,
        bars: [{ name: s.name, color: s.color, value: s.cpuUsPerMsg }],
      })),
    });
    return [
      `Pairs of clients, each pair alone in a room, relay \`signal\` messages through the server: ${r.data.mix}. ` +
        `Offered load rises step by step (${r.data.settings.warmupMs} ms warm-up, ${r.data.settings.measureMs} ms measured, ` +
        `a failed step is retried once, two failed steps in a row end the ramp); a step passes when p99 < ${r.data.p99LimitMs} ms, ` +
        `nothing is lost and the generator kept to its schedule (a step where over 5% of messages left more than 20 ms late ` +
        `is generator-limited: it says nothing about the server). Servers are all up at once and measured turn by turn at ` +
        `each step, so outside load falls on all of them alike. ${r.data.settings.pairs} pairs in ${r.data.settings.workers} ` +
        `load-generator processes, separate from the server; sender and receiver of a message are in the same process, ` +
        `so latency needs no clock sync. Capacity marked ≥ was limited by the generator, not the server. ` +
        `**Server CPU per message** (user + system CPU of the server process over the fixed-load step, divided by the ` +
        `messages relayed) does not depend on the generator or on scheduling, and is the steadiest comparison on a shared machine; ` +
        `the relay targets use the latency ramp when it ended on the servers' own limits, and fall back to the load one core carries at that cost (10⁶ / CPU µs per message) when the generator fell behind first.`,
      suiteTables(r),
      `**Parley's ratio to each reference** (capacity: higher is better; CPU and latency: lower is better)\n\n${mdTable(ratios)}`,
      chart('relay', svg),
      chart('relay-cpu', cpuSvg),
    ];
  },
  connections(r) {
    const res = r.data.results;
    const sizes = r.data.settings.sizes;
    const big = sizes[sizes.length - 1];
    const get = (k, n) => res.find((x) => x.kind === k && x.n === n);
    const kinds = [...new Set(res.map((x) => x.kind))];
    const ratios = {
      columns: [
        'Parley vs',
        ...sizes.map((n) => `memory/conn ratio @ ${n}`),
        `accept time ratio @ ${big}`,
      ],
      rows: kinds
        .filter((k) => k !== 'parley')
        .map((k) => [
          LABEL[k],
          ...sizes.map((n) => ratio(get('parley', n)?.perConnKiB, get(k, n)?.perConnKiB)),
          ratio(get('parley', big)?.acceptMs, get(k, big)?.acceptMs),
        ]),
    };
    const svg = barChart({
      title: 'Server memory per idle connection (RSS growth / N)',
      xLabel: 'connected clients (N)',
      yLabel: 'KiB per connection',
      groups: sizes.map((n) => ({
        label: `N = ${n.toLocaleString('en')}`,
        bars: kinds.map((k) => ({
          name: LABEL[k],
          color: COLORS[k],
          value: get(k, n)?.perConnKiB ?? NaN,
        })),
      })),
    });
    return [
      `Method: ${r.data.method}. Clients come from ${r.data.settings.clientProcesses} processes for the ` +
        `largest size, ${r.data.settings.concurrency} connection attempts in flight per process.`,
      suiteTables(r),
      `**Parley's ratio to each reference** (lower is better)\n\n${mdTable(ratios)}`,
      chart('connections', svg),
    ];
  },
  'browser-setup'(r) {
    const st = r.data.stats;
    const sizes = r.data.settings.sizes;
    // Older results had no networks: one loopback set keyed by page kind.
    const networks = r.data.settings.networks ?? [{ key: 'loopback', label: 'loopback' }];
    const byNet = r.data.settings.networks ? st : { loopback: st };
    const ratios = {
      columns: [
        'network',
        'N',
        'Parley vs reference mesh: decode median ratio',
        'ICE connected median ratio',
        'video shown both ways median ratio',
      ],
      rows: networks.flatMap((net) =>
        sizes.map((n) => [
          net.label,
          n,
          ratio(
            byNet[net.key]?.parley?.[n]?.decode.median,
            byNet[net.key]?.mesh?.[n]?.decode.median,
          ),
          ratio(byNet[net.key]?.parley?.[n]?.ice.median, byNet[net.key]?.mesh?.[n]?.ice.median),
          // Results from before the shown measure have none.
          ratio(
            byNet[net.key]?.parley?.[n]?.shown?.median,
            byNet[net.key]?.mesh?.[n]?.shown?.median,
          ),
        ]),
      ),
    };
    const bar = (net, kind, name, n) => {
      const s = byNet[net]?.[kind]?.[n]?.decode;
      return { name, color: COLORS[kind], value: s?.median ?? NaN, lo: s?.min, hi: s?.max };
    };
    const svg = barChart({
      title: 'Last participant joins → everyone decodes everyone (median, min–max)',
      xLabel: 'participants, network',
      yLabel: 'ms',
      groups: networks.flatMap((net) =>
        sizes.map((n) => ({
          label: `N = ${n}, ${net.label}`,
          bars: [
            bar(net.key, 'mesh', 'reference mesh page', n),
            bar(net.key, 'parley', 'Parley web app', n),
          ],
        })),
      ),
    });
    const unavailable = Object.entries(r.data.unavailable ?? {});
    return [
      `Method: ${r.data.method}.`,
      ...(unavailable.length
        ? [`**Unavailable in this run:** ${unavailable.map(([k, v]) => `${k}: ${v}`).join('; ')}`]
        : []),
      suiteTables(r),
      `**Parley's ratio to the reference page** (lower is better)\n\n${mdTable(ratios)}`,
      chart('browser-setup', svg),
    ];
  },
  startup(r) {
    const cold = r.data.coldStart;
    const p = cold.find((c) => c.kind === 'parley');
    const ratios = {
      columns: ['Parley vs', 'cold start ratio'],
      rows: cold
        .filter((c) => c.kind !== 'parley')
        .map((c) => [LABEL[c.kind], ratio(p?.firstWs.median, c.firstWs.median)]),
    };
    const svg = barChart({
      title: 'Cold start to first accepted WebSocket (medians, min–max)',
      xLabel: 'server',
      yLabel: 'ms',
      limit: { value: 500, label: '500 ms target' },
      groups: cold.map((c) => ({
        label: LABEL[c.kind],
        bars: [
          {
            name: 'wall clock',
            color: '#2563eb',
            value: round(c.firstWs.median, 0),
            lo: c.firstWs.min,
            hi: c.firstWs.max,
          },
          ...(c.cpu ? [{ name: 'CPU time', color: '#93c5fd', value: round(c.cpu.median, 0) }] : []),
        ],
      })),
    });
    return [
      `Method: ${r.data.method}. Parley starts through its CLI (\`packages/server/bin/parley.js\`) with the web app enabled, as users run it.`,
      suiteTables(r),
      `**Parley's ratio to each reference** (lower is better)\n\n${mdTable(ratios)}`,
      chart('startup', svg),
    ];
  },
};

/** Suites written by other features: their own tables, as they wrote them. */
/** The fuzz bench: its tables, and the frames by kind of mutation and closes by code. */
sections.fuzz = (r) => {
  const d = r.data;
  const kinds = Object.entries(d.byMutation).sort((a, b) => b[1] - a[1]);
  return [
    `Method: ${d.method}.`,
    suiteTables(r),
    `**Fuzz: frames sent by kind**\n\n${mdTable({ columns: ['kind', 'frames'], rows: kinds })}`,
    `**Fuzz: attacker sockets closed, by close code** (1000: the attacker's own goodbye; ` +
      `1009: over --max-message-bytes; 1007: text that is not UTF-8; docs/PROTOCOL.md)\n\n` +
      mdTable({ columns: ['close code', 'sockets'], rows: Object.entries(d.closes) }),
  ];
};

/** The soak bench: its tables and the server's memory over time. */
sections.soak = (r) => {
  const d = r.data;
  const peak = Math.max(...d.samples.map((x) => x.rss)) / 2 ** 20;
  const svg = lineChart({
    title: `Server memory during the soak (${d.settings.clients.toLocaleString('en')} clients joining and leaving)`,
    xLabel: 'seconds',
    yLabel: 'MiB after full GC',
    yMax: Math.ceil((peak * 1.2) / 10) * 10,
    series: [
      {
        name: 'Parley RSS',
        color: COLORS.parley,
        points: d.samples.map((x) => [x.t, x.rss / 2 ** 20]),
      },
      {
        name: 'heap used',
        color: '#d97706',
        points: d.samples.map((x) => [x.t, x.heapUsed / 2 ** 20]),
      },
    ],
  });
  return [`Method: ${d.method}.`, suiteTables(r), chart('soak-memory', svg)];
};

function genericSection(r) {
  return [
    ...(r.data?.method ? [`Method: ${r.data.method}.`] : []),
    r.tables.map((t) => `**${t.title}**\n\n${mdTable(t)}`).join('\n\n'),
  ];
}

const others = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .filter((n) => !ORDER.includes(n))
  .sort();
const results = [...ORDER, ...others].map((name) => [name, load(name)]).filter(([, r]) => r);
if (results.length === 0) {
  process.stderr.write('bench:report: no results in bench/results; run `npm run bench` first\n');
  process.exit(1);
}
const quickOnes = results.filter(([, r]) => r.quick).map(([n]) => n);
const machine = results[0][1].machine;
const targets = results.flatMap(([, r]) =>
  r.tables.filter((t) => /targets$/i.test(t.title)).flatMap((t) => t.rows),
);

const out = [
  '# Benchmarks',
  '',
  '<!-- Generated by `npm run bench:report` from bench/results/*.json. Do not edit by hand. -->',
  '',
  'Parley is measured against references in the same run on the same machine, and the ' +
    'tables give ratios, so that results hold on a noisy machine. `npm run bench` runs ' +
    'everything (about 20 minutes, a five-minute soak included); `npm run bench -- --only relay` runs one bench; ' +
    '`npm run bench -- --quick` runs all of them at tiny sizes (part of `npm test`, results ' +
    'not kept); `npm run bench:report` rebuilds this page.',
  '',
  '## Machine',
  '',
  mdTable({
    columns: ['', ''],
    rows: [
      ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
      ['memory', `${machine.memoryGiB} GiB`],
      ['OS', machine.platform],
      ['Node.js', machine.node],
      ...results.map(([n, r]) => [
        `${n} run`,
        `${r.machine.date} (${r.durationS} s, load average ${r.machine.loadAverage.join(' / ')} at the end)`,
      ]),
    ],
  }),
  '',
  '**Noise.** A 2-core machine is easily disturbed: anything else running (a build, a ' +
    'browser) shows in the load average recorded with each run above. Absolute numbers move ' +
    'between runs; the ratios to references measured in the same run are the meaningful ' +
    'figures, and p99 latencies are the most affected.',
  ...(quickOnes.length
    ? [
        '',
        `**Warning:** quick-mode results for ${quickOnes.join(', ')}: sizes too small to mean much.`,
      ]
    : []),
  '',
  '## Targets',
  '',
  targets.length
    ? mdTable({ columns: ['target', 'value', 'status'], rows: targets })
    : 'No target rows in these results.',
  '',
];
for (const [name, r] of results) {
  const section = sections[name] ?? genericSection;
  out.push(`## ${r.title}`, '', ...section(r).flatMap((p) => [p, '']));
}
const notes = join(root, 'bench/NOTES.md');
if (existsSync(notes)) {
  out.push(readFileSync(notes, 'utf8').trim(), '');
}
writeFileSync(join(root, 'docs/BENCHMARKS.md'), out.join('\n'));
process.stdout.write(
  `bench:report: wrote docs/BENCHMARKS.md (${results.length} benches) and its charts in docs/bench/\n`,
);
