import { cleanDisplayName } from '../../app/display-name';

/** What a direct link asks for: `/r/<room>?name=<name>&audio=1&video=1`. */
export interface DirectJoin {
  name: string;
  audio: boolean;
  video: boolean;
}

/** `0`, `false`, `off` or `no` turn a device off; absent or anything else leaves it on. */
export function flag(value: string | null): boolean {
  return value === null || !/^(0|false|off|no)$/i.test(value.trim());
}

/**
 * A link with a usable `name` joins straight away, skipping pre-join (invites from a
 * tool, automation). Without one, the person goes through pre-join.
 */
export function parseDirectJoin(params: URLSearchParams): DirectJoin | null {
  const name = cleanDisplayName(params.get('name') ?? '');
  if (!name) {
    return null;
  }
  return { name, audio: flag(params.get('audio')), video: flag(params.get('video')) };
}
