// Injected into every bench page before its own scripts (Playwright addInitScript).
// Records, for each RTCPeerConnection the page creates, when ICE first connected and
// when the first video frame from the remote side was decoded (getStats polled every
// 20 ms), plus when the signaling server first said "joined". Times are Date.now(), so
// the bench can compare them across pages on this machine.
(() => {
  const Native = window.RTCPeerConnection;
  const state = {
    pcs: [],
    loadedAt: null,
    joinedAt: null,
    wsOpenAt: null,
    mediaAt: null,
    firstPcAt: null,
    offerAt: null,
    answerAt: null,
  };
  // Where the newcomer's time goes: page parsed, media granted, socket open, joined, first
  // link made, first offer and answer applied (either side's), ICE, DTLS, first frame.
  document.addEventListener('DOMContentLoaded', () => {
    state.loadedAt ??= Date.now();
  });
  const described = (desc) => {
    const type = desc?.type;
    if (type === 'offer') {
      state.offerAt ??= Date.now();
    } else if (type === 'answer') {
      state.answerAt ??= Date.now();
    }
  };
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
      const rec = { pc: this, iceConnected: null, dtlsConnected: null, decoded: null, shown: null };
      state.firstPcAt ??= Date.now();
      state.pcs.push(rec);
      this.addEventListener('iceconnectionstatechange', () => {
        const s = this.iceConnectionState;
        if (rec.iceConnected === null && (s === 'connected' || s === 'completed')) {
          rec.iceConnected = Date.now();
        }
      });
      // connectionState 'connected' needs ICE and DTLS: the end of the DTLS handshake.
      this.addEventListener('connectionstatechange', () => {
        if (rec.dtlsConnected === null && this.connectionState === 'connected') {
          rec.dtlsConnected = Date.now();
        }
      });
    }
    async setLocalDescription(...args) {
      const r = await super.setLocalDescription(...args);
      described(this.localDescription);
      return r;
    }
    async setRemoteDescription(...args) {
      const r = await super.setRemoteDescription(...args);
      described(this.remoteDescription);
      return r;
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
  // Shown: a visible <video> on the page plays this link's incoming video (it has a frame
  // to show), which is what the person sees; decoded alone could happen with no interface
  // at all, and a <video> hidden under a placeholder is not seen either.
  const visible = (v) =>
    typeof v.checkVisibility !== 'function' ||
    v.checkVisibility({ visibilityProperty: true, opacityProperty: true });
  const markShown = () => {
    const videos = [...document.querySelectorAll('video')].filter(
      (v) =>
        v.readyState >= 2 && v.videoWidth > 0 && v.srcObject instanceof MediaStream && visible(v),
    );
    for (const rec of state.pcs) {
      if (rec.shown !== null || rec.pc.signalingState === 'closed') {
        continue;
      }
      const ids = new Set(rec.pc.getReceivers().map((r) => r.track && r.track.id));
      if (videos.some((v) => v.srcObject.getVideoTracks().some((t) => ids.has(t.id)))) {
        rec.shown = Date.now();
      }
    }
  };
  let busy = false;
  setInterval(async () => {
    if (busy) {
      return;
    }
    busy = true;
    try {
      markShown();
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
    loadedAt: state.loadedAt,
    offerAt: state.offerAt,
    answerAt: state.answerAt,
    joinedAt: state.joinedAt,
    wsOpenAt: state.wsOpenAt,
    mediaAt: state.mediaAt,
    firstPcAt: state.firstPcAt,
    pcs: state.pcs.map((r) => ({
      ice: r.iceConnected,
      dtls: r.dtlsConnected,
      decoded: r.decoded,
      shown: r.shown,
    })),
  });
})();
