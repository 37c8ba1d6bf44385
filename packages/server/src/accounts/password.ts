import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto). The stored string
 * carries its own parameters, so raising the cost later keeps old hashes verifiable:
 *   scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>
 */
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. 15 = 32 MiB per hash with r = 8. */
  log2N: number;
  r: number;
  p: number;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.log2N;
  const options: ScryptOptions = {
    N,
    r: cost.r,
    p: cost.p,
    // Node refuses above 32 MiB by default; allow exactly what these parameters need.
    maxmem: 128 * N * cost.r * 2,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hash a password with a fresh random salt. */
export async function hashPassword(password: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return [
    'scrypt',
    cost.log2N,
    cost.r,
    cost.p,
    salt.toString('base64url'),
    key.toString('base64url'),
  ].join('$');
}

/** Check a password against a stored hash, in constant time. False for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const cost = { log2N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.log2N, cost.r, cost.p].every((v) => Number.isInteger(v) && v > 0 && v < 64)) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A hash of a random password with the current cost. Sign-in for an unknown user
 * checks against it, so that it takes as long as a wrong password for a real one.
 */
export function decoyHash(cost: ScryptCost): Promise<string> {
  return hashPassword(randomBytes(16).toString('hex'), cost);
}
