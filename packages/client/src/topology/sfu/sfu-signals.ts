import type { ClientMessage, ServerMessageMap } from '@parley/protocol';
import type { TopologyContext } from '../media-topology.js';

/** What the two SFU connections say to the server: the `sfu-*` messages, typed. */
export interface SfuSignals {
  /** `sfu-publish` with our offer; resolves with Janus's answer (`sfu-answer`). */
  publish(sdp: string): Promise<RTCSessionDescriptionInit>;
  /** `sfu-subscriber-answer`; resolves once Janus took it (`sfu-subscribed`). */
  answer(sdp: string): Promise<void>;
  /** `sfu-trickle`: one candidate, or null for the end of them. */
  trickle(target: 'publisher' | 'subscriber', candidate: RTCIceCandidateInit | null): void;
  /** `sfu-layer`: which simulcast layer of a participant's video to receive. */
  layer(peerId: string, substream: 0 | 1 | 2): void;
  /** `sfu-pause`: stop (true) or resume forwarding a participant's video to us. */
  pause(peerId: string, paused: boolean): void;
  /** `sfu-restart`: ask for a new subscriber offer with new ICE credentials. */
  restart(): void;
}

type Request = NonNullable<TopologyContext['request']>;

export function sfuSignals(send: (m: ClientMessage) => void, request: Request): SfuSignals {
  return {
    async publish(sdp) {
      const reply: ServerMessageMap['sfu-answer'] = await request(
        { type: 'sfu-publish', jsep: { type: 'offer', sdp } },
        'sfu-answer',
      );
      return reply.jsep;
    },
    async answer(sdp) {
      await request(
        { type: 'sfu-subscriber-answer', jsep: { type: 'answer', sdp } },
        'sfu-subscribed',
      );
    },
    trickle(target, c) {
      send({
        type: 'sfu-trickle',
        target,
        candidate: c
          ? {
              candidate: c.candidate ?? '',
              sdpMid: c.sdpMid ?? null,
              sdpMLineIndex: c.sdpMLineIndex ?? null,
            }
          : null,
      });
    },
    layer(peerId, substream) {
      send({ type: 'sfu-layer', peerId, substream });
    },
    pause(peerId, paused) {
      send({ type: 'sfu-pause', peerId, paused });
    },
    restart() {
      send({ type: 'sfu-restart' });
    },
  };
}
