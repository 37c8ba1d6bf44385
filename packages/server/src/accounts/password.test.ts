import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';
import { readSessionCookie, sessionCookie } from './session-cookie.js';
import { FixedWindowLimiter } from './sign-in-limiter.js';

const cost = { log2N: 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse', cost);
    expect(hash).toMatch(/^scrypt\$10\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same', cost), hashPassword('same', cost)]);
    expect(a).not.toBe(b);
  });

  it('keeps verifying hashes made with another cost', async () => {
    const old = await hashPassword('pw-pw-pw-pw', { log2N: 11, r: 8, p: 1 });
    expect(await verifyPassword('pw-pw-pw-pw', old)).toBe(true);
  });

  it('refuses malformed hashes without throwing', async () => {
    for (const bad of ['', 'scrypt$x$8$1$aa$bb', 'bcrypt$1$2$3$4$5', 'scrypt$99$8$1$aa$bb']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});

describe('session cookie', () => {
  it('is httpOnly and SameSite=Lax, and Secure only under HTTPS', () => {
    const plain = sessionCookie('t'.repeat(43), 60, false);
    expect(plain).toContain('HttpOnly');
    expect(plain).toContain('SameSite=Lax');
    expect(plain).toContain('Path=/');
    expect(plain).not.toContain('Secure');
    expect(sessionCookie('t'.repeat(43), 60, true)).toContain('; Secure');
  });

  it('reads the token among other cookies and ignores malformed values', () => {
    const token = 'a'.repeat(43);
    expect(readSessionCookie(`x=1; parley_session=${token}; y=2`)).toBe(token);
    expect(readSessionCookie('parley_session=<script>')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });
});

describe('sign-in limiter', () => {
  it('allows max attempts per window, then refuses until the window passes', async () => {
    let now = 0;
    const limiter = new FixedWindowLimiter(2, 1000, () => now);
    const takes = [];
    for (let i = 0; i < 3; i++) {
      takes.push(await limiter.take('k'));
    }
    expect(takes).toEqual([true, true, false]);
    expect(await limiter.take('other')).toBe(true);
    now = 1000;
    expect(await limiter.take('k')).toBe(true);
  });

  it('keeps memory bounded', async () => {
    const limiter = new FixedWindowLimiter(1, 1000, () => 0, 3);
    for (const k of ['a', 'b', 'c', 'd']) {
      await limiter.take(k);
    }
    // "a" was evicted, so it starts a fresh window.
    expect(await limiter.take('a')).toBe(true);
    expect(await limiter.take('d')).toBe(false);
  });
});
