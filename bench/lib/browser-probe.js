// Injected into every bench page before its own scripts (Playwright addInitScript).
// Records, for each RTCPeerConnection the page creates, when ICE first connected and
// when the first video frame from the remote side was decoded (getStats polled every
// 20 ms), plus when the signaling server first said "joined". Times are Date.now(), so
// the bench can compare them across pages on this machine.
(() => {
  const Native = window.RTCPeerConnection;
  const state = { pcs: [], joinedAt: null, wsOpenAt: null, mediaAt: null, firstPcAt: null };
  // Where the newcomer's time goes: media granted, socket open, joined, first link made.
  const gum = navigator.mediaDevices?.getUserMedia?.bind(navigator.mediaDevices);
  if (gum) {
    navigator.mediaDevices.getUserMedia = async (...args) => {
      const stream = await gum(...args);
      state.mediaAt ??= Date.now();
      return stream;
    };
  }
  Object.defineProperty(window, '__benchProbe', { value: state });
  class ProbedPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      const rec = { pc: this, iceConnected: null, decoded: null };
      state.firstPcAt ??= Date.now();
      state.pcs.push(rec);
      this.addEventListener('iceconnectionstatechange', () => {
        const s = this.iceConnectionState;
        if (rec.iceConnected === null && (s === 'connected' || s === 'completed')) {
          rec.iceConnected = Date.now();
        }
      });
    }
  }
  window.RTCPeerConnection = ProbedPeerConnection;
  const NativeWs = window.WebSocket;
  class ProbedWebSocket extends NativeWs {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => {
        state.wsOpenAt ??= Date.now();
      });
      this.addEventListener('message', (e) => {
        if (
          state.joinedAt === null &&
          typeof e.data === 'string' &&
          e.data.includes('"type":"joined"')
        ) {
          state.joinedAt = Date.now();
        }
      });
    }
  }
  window.WebSocket = ProbedWebSocket;
  let busy = false;
  setInterval(async () => {
    if (busy) {
      return;
    }
    busy = true;
    try {
      for (const rec of state.pcs) {
        if (
          rec.decoded !== null ||
          rec.iceConnected === null ||
          rec.pc.signalingState === 'closed'
        ) {
          continue;
        }
        const stats = await rec.pc.getStats();
        stats.forEach((s) => {
          if (
            rec.decoded === null &&
            s.type === 'inbound-rtp' &&
            s.kind === 'video' &&
            s.framesDecoded > 0
          ) {
            rec.decoded = Date.now();
          }
        });
      }
    } finally {
      busy = false;
    }
  }, 20);
  window.__benchSnapshot = () => ({
    joinedAt: state.joinedAt,
    wsOpenAt: state.wsOpenAt,
    mediaAt: state.mediaAt,
    firstPcAt: state.firstPcAt,
    pcs: state.pcs.map((r) => ({ ice: r.iceConnected, decoded: r.decoded })),
  });
})();
