/**
 * Start and size: cold start of each server process to its first accepted WebSocket
 * (spawn `node`, wait for the port, connect and complete the protocol handshake), and
 * the JavaScript and CSS the web app sends for its first page, gzipped at level 9.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { SERVERS } from '../lib/servers.mjs';
import { firstContact } from '../lib/first-contact.mjs';
import { round, summary } from '../lib/stats.mjs';

export const title = 'Start and size';

const root = new URL('../..', import.meta.url).pathname;
const COLD_START_TARGET_MS = 500;
const FIRST_PAGE_JS_TARGET_KB = 150;

/** What each server's cold start runs: Parley as users start it (its CLI, web app on). */
function command(kind, dataDir) {
  if (kind === 'parley') {
    return [
      'packages/server/bin/parley.js',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'silent',
      '--data-dir',
      dataDir,
    ];
  }
  return [join('bench', SERVERS.find((s) => s.kind === kind).script)];
}

function coldStart(kind, dataDir) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, command(kind, dataDir), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let contacted = false;
    const finish = (error, value) => {
      child.kill('SIGKILL');
      if (error) {
        reject(error);
      } else {
        resolve(value);
      }
    };
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', async (d) => {
      out += d;
      // Parley prints "open http://127.0.0.1:PORT"; the references print "PORT n".
      const m = out.match(/PORT (\d+)/) ?? out.match(/https?:\/\/[^\s:]+:(\d+)/);
      if (!m || contacted) {
        return;
      }
      contacted = true;
      const listeningMs = performance.now() - t0;
      try {
        await firstContact(kind, Number(m[1]));
        const firstWsMs = performance.now() - t0;
        finish(null, { listeningMs, firstWsMs, cpuMs: cpuTimeMs(child.pid) });
      } catch (e) {
        finish(e);
      }
    });
    child.on('exit', (code) => {
      if (!contacted) {
        reject(new Error(`${kind} exited (${code}) before listening: ${err.slice(-2000)}`));
      }
    });
  });
}

/**
 * CPU time (user + system) a process has used so far, from /proc (10 ms ticks): unlike
 * wall time it hardly moves when other work shares the machine. null off Linux.
 */
function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Build the web app into a scratch directory (quick mode reuses an existing build). */
function buildWeb(quick, progress) {
  const existing = join(root, 'packages/web/dist');
  if (quick && existsSync(join(existing, 'index.html'))) {
    return { dir: existing, cleanup: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  progress('building the web app with vite');
  const r = spawnSync(
    'npx',
    ['--no-install', 'vite', 'build', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'],
    { cwd: join(root, 'packages/web'), encoding: 'utf8' },
  );
  if (r.status !== 0) {
    throw new Error(`vite build failed: ${r.stderr || r.stdout}`);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What index.html makes the browser fetch before first paint: entry, preloads, styles. */
export function firstPageAssets(html) {
  const js = new Set();
  const css = new Set();
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    js.add(m[1]);
  }
  for (const m of html.matchAll(/<link[^>]*>/g)) {
    const href = m[0].match(/href="([^"]+)"/)?.[1];
    if (!href) {
      continue;
    }
    if (/rel="modulepreload"/.test(m[0])) {
      js.add(href);
    } else if (/rel="stylesheet"/.test(m[0])) {
      css.add(href);
    }
  }
  return { js: [...js], css: [...css] };
}

function gzSize(file) {
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

export async function run({ quick, progress, servers: only }) {
  const runs = quick ? 2 : 10;
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-cold-'));
  const cold = [];
  try {
    for (const { kind } of SERVERS) {
      if (only && !only.includes(kind)) {
        continue;
      }
      const samples = [];
      for (let i = 0; i < runs; i++) {
        samples.push(await coldStart(kind, dataDir));
      }
      const ws = summary(samples.map((s) => s.firstWsMs));
      const listen = summary(samples.map((s) => s.listeningMs));
      const cpu = samples.some((s) => s.cpuMs === null)
        ? null
        : summary(samples.map((s) => s.cpuMs));
      progress(`${kind}: first WebSocket after ${round(ws.median, 0)} ms (median of ${runs})`);
      cold.push({ kind, runs, firstWs: ws, listening: listen, cpu });
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }

  const web = buildWeb(quick, progress);
  let size;
  try {
    const html = readFileSync(join(web.dir, 'index.html'), 'utf8');
    const assets = firstPageAssets(html);
    const files = (list) =>
      list.map((href) => {
        const path = join(web.dir, href.replace(/^\//, ''));
        return { href, bytes: readFileSync(path).length, gzip: gzSize(path) };
      });
    const js = files(assets.js);
    const css = files(assets.css);
    const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
    size = {
      js,
      css,
      jsGzip: sum(js, 'gzip'),
      cssGzip: sum(css, 'gzip'),
      jsBytes: sum(js, 'bytes'),
      cssBytes: sum(css, 'bytes'),
      htmlGzip: gzipSync(html, { level: 9 }).length,
    };
    progress(
      `web: first page ${round(size.jsGzip / 1024, 1)} KiB JS + ${round(size.cssGzip / 1024, 1)} KiB CSS gzipped`,
    );
  } finally {
    web.cleanup();
  }

  const label = Object.fromEntries(SERVERS.map((x) => [x.kind, x.label]));
  const bare = cold.find((c) => c.kind === 'bare');
  const parley = cold.find((c) => c.kind === 'parley');
  const kb = (b) => round(b / 1000, 1);
  return {
    tables: [
      {
        title: `Cold start to first accepted WebSocket (ms, ${runs} runs)`,
        columns: [
          'server',
          'median',
          'min',
          'max',
          'listening (median)',
          'CPU ms used (median)',
          'vs bare relay',
        ],
        rows: cold.map((c) => [
          label[c.kind],
          round(c.firstWs.median, 0),
          round(c.firstWs.min, 0),
          round(c.firstWs.max, 0),
          round(c.listening.median, 0),
          c.cpu ? round(c.cpu.median, 0) : 'n/a',
          bare ? `${round(c.firstWs.median / bare.firstWs.median, 2)}×` : '',
        ]),
      },
      {
        title: 'Web app, first page (gzip -9)',
        columns: ['asset', 'raw KB', 'gzip KB'],
        rows: [
          ...size.js.map((f) => [f.href, kb(f.bytes), kb(f.gzip)]),
          ...size.css.map((f) => [f.href, kb(f.bytes), kb(f.gzip)]),
          ['JS total', kb(size.jsBytes), kb(size.jsGzip)],
          ['CSS total', kb(size.cssBytes), kb(size.cssGzip)],
        ],
      },
      {
        title: 'Start and size targets',
        columns: ['target', 'value', 'status'],
        rows: [
          ...(parley
            ? [
                [
                  `cold start < ${COLD_START_TARGET_MS} ms`,
                  `${round(parley.firstWs.median, 0)} ms wall` +
                    (parley.cpu ? `, ${round(parley.cpu.median, 0)} ms CPU` : ''),
                  parley.firstWs.median < COLD_START_TARGET_MS ? 'met' : 'not met',
                ],
              ]
            : []),
          [
            `first-page JS < ${FIRST_PAGE_JS_TARGET_KB} KB gzipped`,
            `${kb(size.jsGzip)} KB`,
            size.jsGzip / 1000 < FIRST_PAGE_JS_TARGET_KB ? 'met' : 'not met',
          ],
        ],
      },
    ],
    data: {
      coldStart: cold,
      web: size,
      method:
        'cold start: spawn node with the server, read the port it prints, open a WebSocket and complete the handshake; web: vite build, assets index.html loads up front (entry script, modulepreload, stylesheets), gzip level 9; KB = 1000 bytes',
    },
  };
}
