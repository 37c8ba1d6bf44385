/**
 * Between our videoroom types and Janus's JSON: requests without undefined fields,
 * answers read defensively (Janus leaves fields out rather than sending null).
 */
import type { Jsep } from './janus-api.js';
import type { JanusHandle, JanusSession, PluginReply } from './janus-session.js';
import { SfuError } from './sfu-error.js';
import {
  VIDEOROOM_PLUGIN,
  videoroomErrorCode,
  type PublishedStream,
  type PublisherInfo,
  type StreamRequest,
  type SubscriptionStream,
  type VideoRoomId,
} from './videoroom-types.js';

export type Data = Record<string, unknown>;

export function attachVideoroom(session: JanusSession, opaqueId?: string): Promise<JanusHandle> {
  return session.attach(VIDEOROOM_PLUGIN, { opaqueId, pluginErrors: videoroomErrorCode });
}

/** Drop undefined fields, so Janus never sees `"pin": null`. */
export function defined(body: Data): Data {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export function requireJsep(reply: PluginReply, what: string): Jsep {
  if (!reply.jsep) {
    throw new SfuError('sfu_error', `Janus sent no SDP with ${what}`);
  }
  return reply.jsep;
}

export function toId(value: unknown): VideoRoomId {
  return typeof value === 'number' ? value : String(value);
}

export function optString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optBool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function toPublishers(value: unknown): PublisherInfo[] {
  return (Array.isArray(value) ? (value as Data[]) : []).map((p) => ({
    id: toId(p.id),
    display: optString(p.display),
    talking: optBool(p.talking),
    streams: (Array.isArray(p.streams) ? (p.streams as Data[]) : []).map((s): PublishedStream => ({
      type: s.type as PublishedStream['type'],
      mindex: Number(s.mindex),
      mid: String(s.mid),
      disabled: s.disabled === true,
      codec: optString(s.codec),
      description: optString(s.description),
      simulcast: s.simulcast === true,
      svc: s.svc === true,
      talking: optBool(s.talking),
    })),
  }));
}

export function toSubscriptionStreams(value: unknown): SubscriptionStream[] {
  return (Array.isArray(value) ? (value as Data[]) : []).map((s) => ({
    mindex: Number(s.mindex),
    mid: String(s.mid),
    type: s.type as SubscriptionStream['type'],
    feedId: s.feed_id === undefined ? undefined : toId(s.feed_id),
    feedMid: optString(s.feed_mid),
    feedDisplay: optString(s.feed_display),
    send: s.send !== false,
    ready: s.ready === true,
    active: s.active !== false,
  }));
}

export function streamRequests(streams: readonly StreamRequest[]): Data[] {
  return streams.map((s) => defined({ feed: s.feed, mid: s.mid, crossrefid: s.crossrefid }));
}
