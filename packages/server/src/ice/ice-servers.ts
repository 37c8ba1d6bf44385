import { createHmac } from 'node:crypto';
import type { IceServer } from '@parley/protocol';
import type { Config } from '../config.js';

export interface IceGrant {
  iceServers: IceServer[];
  /** When minted TURN credentials stop working, ms since epoch. */
  expiresAt?: number;
}

/** Hands each session the ICE servers to use; TURN credentials are minted per session. */
export interface IceServerProvider {
  grant(sessionId: string): IceGrant;
}

/**
 * coturn's REST-API scheme (`use-auth-secret`): username `expiry:sessionId`,
 * password = base64(HMAC-SHA1(secret, username)). coturn refuses it after `expiry`.
 */
export function mintTurnCredential(
  secret: string,
  sessionId: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): { username: string; credential: string; expiresAt: number } {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${sessionId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: expiry * 1000 };
}

/** ICE servers from configuration: STUN as is, TURN minted (shared secret) or static. */
export class ConfiguredIceServers implements IceServerProvider {
  constructor(
    private readonly config: Pick<
      Config,
      'stunUrls' | 'turnUrls' | 'turnSecret' | 'turnUsername' | 'turnPassword' | 'turnTtl'
    >,
  ) {}

  grant(sessionId: string): IceGrant {
    const iceServers: IceServer[] = [];
    if (this.config.stunUrls.length > 0) {
      iceServers.push({ urls: this.config.stunUrls });
    }
    if (this.config.turnUrls.length === 0) {
      return { iceServers };
    }
    if (this.config.turnSecret) {
      const c = mintTurnCredential(this.config.turnSecret, sessionId, this.config.turnTtl);
      iceServers.push({
        urls: this.config.turnUrls,
        username: c.username,
        credential: c.credential,
      });
      return { iceServers, expiresAt: c.expiresAt };
    }
    iceServers.push({
      urls: this.config.turnUrls,
      username: this.config.turnUsername ?? '',
      credential: this.config.turnPassword ?? '',
    });
    return { iceServers };
  }
}
