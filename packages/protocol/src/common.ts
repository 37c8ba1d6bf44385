import { z } from 'zod';

/** Room ids are URL-safe so that a room link is just `/r/<id>`. */
export const RoomId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'room id may contain letters, digits, - and _ only');

/** Peer ids are chosen by the server; clients only echo them back. */
export const PeerId = z.string().min(1).max(64);

/** Display names are trimmed, 1–64 characters, no control characters. */
export const DisplayName = z
  .string()
  .transform((s) => s.trim())
  .pipe(
    z
      .string()
      .min(1, 'name must not be empty')
      .max(64, 'name is at most 64 characters')
      // eslint-disable-next-line no-control-regex
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'name must not contain control characters'),
  );

/**
 * What a participant announces to the room: their mic and camera, and the room-wide
 * flags everyone sees (a raised hand, a recording in progress). One record, so the flags
 * travel, are stored and reach late joiners and other nodes exactly like the mic state.
 * Strict: an unknown field is refused (`bad_message`), never silently dropped.
 */
export const MediaState = z
  .object({
    audio: z.boolean(),
    video: z.boolean(),
    /** True while the participant shares their screen. */
    screen: z.boolean().optional(),
    /** True while the participant's hand is raised. */
    hand: z.boolean().optional(),
    /** True while the participant records the call (everyone is shown a badge). */
    recording: z.boolean().optional(),
  })
  .strict();
export type MediaState = z.infer<typeof MediaState>;

/** A participant as the rest of the room sees it. */
export const PeerInfo = z.object({
  id: PeerId,
  name: z.string(),
  media: MediaState,
});
export type PeerInfo = z.infer<typeof PeerInfo>;

/** Mirrors RTCIceServer. */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/** Optional request id: the server echoes it on the reply or the error it causes. */
export const RequestId = z.string().max(64).optional();
