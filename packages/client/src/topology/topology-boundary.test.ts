/**
 * Every RTCPeerConnection stays inside a topology implementation (a subfolder of
 * src/topology: mesh/, sfu/). Anywhere else in the SDK or the web app, this
 * fails on a PeerLink, a `.pc`, a peer connection made or named, a method only a
 * peer connection has, or an import that goes around topology/index.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(import.meta.url);
const repo = join(here, '../../../../..');
const roots = ['packages/client/src', 'packages/web/src'];
const topologyDir = 'packages/client/src/topology/';
const self = relative(repo, here).split(sep).join('/');

const RULES: Array<[RegExp, string]> = [
  [/\bPeerLink\b/, 'PeerLink is the mesh’s own'],
  [/\.pc\b/, 'reaches into a peer connection (.pc)'],
  [/\bnew\s+[\w.]*RTCPeerConnection\b/, 'makes a peer connection'],
  // As a type or a value; an injected constructor (`RTCPeerConnection?: typeof …`) is fine.
  [/(?<![.\w]|typeof\s+)RTCPeerConnection\b(?!\??:)/, 'holds a peer connection'],
  [/\bRTCDataChannel\b/, 'holds a data channel (use sendData or openDataStream)'],
  [
    /\.(createDataChannel|getReceivers|getSenders|getTransceivers|addTransceiver|addIceCandidate|setLocalDescription|setRemoteDescription|createOffer|createAnswer|getSynchronizationSources)\(/,
    'calls what only a peer connection has',
  ],
  [/from\s+['"][^'"]*topology\/[^'"/]+\//, 'imports a topology implementation, not topology/index'],
];

/** Comments name peer connections freely: drop them before looking. */
function stripComments(source: string): string {
  // Keep a block comment's line breaks, so reported line numbers stay right.
  return source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ''))
    .replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

export function violations(source: string): string[] {
  const found: string[] = [];
  for (const [i, line] of stripComments(source).split('\n').entries()) {
    for (const [rule, why] of RULES) {
      if (rule.test(line)) {
        found.push(`${i + 1}: ${why}: ${line.trim()}`);
      }
    }
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(path);
    }
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Inside src/topology, only files in a subfolder implement a topology. */
function isImplementation(path: string): boolean {
  return path.startsWith(topologyDir) && path.slice(topologyDir.length).includes('/');
}

describe('the topology seam', () => {
  it('catches what it is meant to catch', () => {
    expect(violations(`import { PeerLink } from './peer-link.js';`)).toHaveLength(1);
    expect(violations(`const r = await room.link(id).pc.getStats();`)).toHaveLength(1);
    expect(violations(`const pc = new RTCPeerConnection(config);`)).toHaveLength(2);
    expect(violations(`const pc = new window.RTCPeerConnection();`)).toHaveLength(1);
    expect(violations(`function f(pc: RTCPeerConnection) {}`)).toHaveLength(1);
    expect(violations(`x.createDataChannel('files');`)).toHaveLength(1);
    expect(violations(`import { M } from '../topology/mesh/mesh-topology.js';`)).toHaveLength(1);
    expect(violations(`RTCPeerConnection?: typeof RTCPeerConnection;`)).toEqual([]);
    expect(violations(`{ RTCPeerConnection: this.options.RTCPeerConnection }`)).toEqual([]);
    expect(violations(`// each RTCPeerConnection (link.pc) stays inside`)).toEqual([]);
    expect(violations(`const url = 'ws://host'; // a PeerLink`)).toEqual([]);
    expect(violations(`import { MeshTopology } from './topology/index.js';`)).toEqual([]);
  });

  it('keeps every peer connection inside a topology implementation', () => {
    const files = roots.flatMap(sourceFiles).map((p) => p.split(sep).join('/'));
    const checked = files.filter((p) => p !== self && !isImplementation(p));
    // The scan sees the app and the SDK, and the mesh is where the exemption says.
    expect(checked.length).toBeGreaterThan(50);
    expect(files).toContain(`${topologyDir}mesh/peer-link.ts`);
    const found = checked.flatMap((p) =>
      violations(readFileSync(join(repo, p), 'utf8')).map((v) => `${p}:${v}`),
    );
    expect(found).toEqual([]);
  });
});
