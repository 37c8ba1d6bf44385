// Injected into every page of the SFU bench before the app (Playwright addInitScript).
// The web app keeps its peer connections inside its SDK (the media seam), so the page's
// own RTCPeerConnections are collected here, as the e2e tests do (fixtures/
// browser-scripts.ts). While `watching`, getStats is polled every 50 ms to note when
// each inbound video stream first decoded a frame (Date.now(), comparable across the
// browsers on this machine); the bench turns that off before it measures bitrate and
// CPU, so the polling does not count. `counters()` reads the RTP counters once.
(() => {
  const Native = window.RTCPeerConnection;
  const pcs = [];
  const firstDecoded = new Map();
  let watching = true;
  class Probed extends Native {
    constructor(...args) {
      super(...args);
      pcs.push(this);
    }
  }
  window.RTCPeerConnection = Probed;
  const open = () =>
    pcs.map((pc, i) => [i, pc]).filter(([, pc]) => pc.connectionState !== 'closed');

  let busy = false;
  setInterval(async () => {
    if (!watching || busy) {
      return;
    }
    busy = true;
    try {
      for (const [i, pc] of open()) {
        (await pc.getStats()).forEach((s) => {
          const key = `${i}:${s.ssrc}`;
          if (
            s.type === 'inbound-rtp' &&
            s.kind === 'video' &&
            s.framesDecoded > 0 &&
            !firstDecoded.has(key)
          ) {
            firstDecoded.set(key, Date.now());
          }
        });
      }
    } finally {
      busy = false;
    }
  }, 50);

  window.__sfuBench = {
    watch(on) {
      watching = on;
    },
    /** Inbound video streams decoding now on open connections: when each first did. */
    async decoding() {
      const out = [];
      for (const [i, pc] of open()) {
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video' && s.framesDecoded > 0) {
            const key = `${i}:${s.ssrc}`;
            if (!firstDecoded.has(key)) {
              firstDecoded.set(key, Date.now());
            }
            out.push({ key, at: firstDecoded.get(key) });
          }
        });
      }
      return { connections: open().length, streams: out };
    },
    /** RTP counters of every open connection, keyed `<pc>:<type>:<ssrc>`. */
    async counters() {
      const rtp = {};
      let source = null;
      for (const [i, pc] of open()) {
        (await pc.getStats()).forEach((s) => {
          if (s.type === 'outbound-rtp' || s.type === 'inbound-rtp') {
            rtp[`${i}:${s.type}:${s.ssrc}`] = {
              type: s.type,
              kind: s.kind,
              bytes: s.type === 'outbound-rtp' ? s.bytesSent : s.bytesReceived,
              frames: s.type === 'outbound-rtp' ? s.framesEncoded : s.framesDecoded,
              width: s.frameWidth,
              height: s.frameHeight,
            };
          } else if (s.type === 'media-source' && s.kind === 'video' && !source) {
            source = { width: s.width, height: s.height, fps: s.framesPerSecond };
          }
        });
      }
      return { at: Date.now(), connections: open().length, rtp, source };
    },
  };
})();
