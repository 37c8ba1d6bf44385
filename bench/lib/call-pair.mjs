/**
 * Two participants in a call over plain WebSockets, for benches that disturb a server and
 * need to know whether the people in a call noticed. They connect from their own loopback
 * address (127.0.0.2), so that per-address limits hit by the load (127.0.0.1) are not
 * theirs; each sends a numbered `signal` to the other every `signalEveryMs`, and a
 * numbered chat line every `chatEveryMs`. Every message is checked on arrival: it must
 * be the next number from that sender, with exactly the text that was sent.
 */
import WebSocket from 'ws';

const PARTICIPANT_ADDRESS = '127.0.0.2';

function connect(port) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, {
      perMessageDeflate: false,
      localAddress: PARTICIPANT_ADDRESS,
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws, type, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} in ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === type) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(msg);
      } else if (msg.type === 'error') {
        clearTimeout(timer);
        ws.off('message', onMessage);
        reject(new Error(`${type}: error ${msg.code}: ${msg.message}`));
      }
    };
    ws.on('message', onMessage);
  });
}

const candidateText = (name, n) =>
  `candidate:${n} 1 udp 2122260223 10.0.0.${name.length} 9 typ host`;
const chatText = (name, n) => `${name} says ${n}: the quick brown fox`;

/** One participant: its socket, its peer id, what it sent and what it checked. */
async function participant(port, room, name) {
  const ws = await connect(port);
  ws.send(JSON.stringify({ type: 'hello', v: 1 }));
  await next(ws, 'welcome');
  ws.send(JSON.stringify({ type: 'join', room, name, media: { audio: true, video: true } }));
  const joined = await next(ws, 'joined');
  return {
    ws,
    name,
    self: joined.self,
    signalsSent: 0,
    chatsSent: 0,
    /** Per sender: the next number expected, and what went wrong. */
    signalsIn: 0,
    chatsIn: 0,
    outOfOrder: 0,
    corrupted: 0,
    errors: {},
    closed: null,
  };
}

/**
 * Start the call: two participants in `room`, sending at a steady rate. `stop()` ends the
 * sending, waits for what is in flight and returns the tally.
 */
export async function startCallPair(
  port,
  { room = 'steady-call', signalEveryMs = 20, chatEveryMs = 500 } = {},
) {
  const a = await participant(port, room, 'Ana');
  const b = await participant(port, room, 'Bruno');
  for (const [me, other] of [
    [a, b],
    [b, a],
  ]) {
    me.ws.on('close', (code) => {
      me.closed = code;
    });
    me.ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'signal') {
        const n = me.signalsIn + 1;
        if (msg.from !== other.self) {
          me.corrupted += 1;
        } else if (msg.candidate?.candidate !== candidateText(other.name, n)) {
          // Tell a gap or a reorder (a number not the next) from mangled text.
          const got = /^candidate:(\d+) /.exec(msg.candidate?.candidate ?? '');
          me[
            got && candidateText(other.name, Number(got[1])) === msg.candidate.candidate
              ? 'outOfOrder'
              : 'corrupted'
          ] += 1;
        }
        me.signalsIn += 1;
      } else if (msg.type === 'chat-message' && msg.message?.from !== me.self) {
        // (a sender gets its own line back, stamped: that is not the other's)
        const n = me.chatsIn + 1;
        if (msg.message?.from !== other.self || msg.message.text !== chatText(other.name, n)) {
          me[/ says \d+: /.test(msg.message?.text ?? '') ? 'outOfOrder' : 'corrupted'] += 1;
        }
        me.chatsIn += 1;
      } else if (msg.type === 'error') {
        me.errors[msg.code] = (me.errors[msg.code] ?? 0) + 1;
      }
    });
  }
  const signalTimer = setInterval(() => {
    for (const [me, other] of [
      [a, b],
      [b, a],
    ]) {
      if (me.ws.readyState === WebSocket.OPEN) {
        me.signalsSent += 1;
        me.ws.send(
          JSON.stringify({
            type: 'signal',
            to: other.self,
            candidate: {
              candidate: candidateText(me.name, me.signalsSent),
              sdpMid: '0',
              sdpMLineIndex: 0,
            },
          }),
        );
      }
    }
  }, signalEveryMs);
  const chatTimer = setInterval(() => {
    for (const me of [a, b]) {
      if (me.ws.readyState === WebSocket.OPEN) {
        me.chatsSent += 1;
        me.ws.send(
          JSON.stringify({
            type: 'chat-send',
            clientId: `${me.name}-${me.chatsSent}`,
            text: chatText(me.name, me.chatsSent),
          }),
        );
      }
    }
  }, chatEveryMs);

  return {
    async stop() {
      clearInterval(signalTimer);
      clearInterval(chatTimer);
      // Let what is in flight arrive (chat goes through the database first).
      const deadline = Date.now() + 10_000;
      while (
        Date.now() < deadline &&
        (a.signalsIn < b.signalsSent ||
          b.signalsIn < a.signalsSent ||
          a.chatsIn < b.chatsSent ||
          b.chatsIn < a.chatsSent)
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const tally = {
        signalsSent: a.signalsSent + b.signalsSent,
        signalsReceived: a.signalsIn + b.signalsIn,
        chatsSent: a.chatsSent + b.chatsSent,
        chatsReceived: a.chatsIn + b.chatsIn,
        outOfOrder: a.outOfOrder + b.outOfOrder,
        corrupted: a.corrupted + b.corrupted,
        errors: { ...a.errors, ...b.errors },
        closedWith: [a.closed, b.closed].filter((c) => c !== null),
      };
      tally.lost =
        tally.signalsSent - tally.signalsReceived + (tally.chatsSent - tally.chatsReceived);
      for (const p of [a, b]) {
        p.ws.close(1000);
      }
      return tally;
    },
  };
}
