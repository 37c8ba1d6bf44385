import { describe, expect, it } from 'vitest';
import { Credentials } from '@parley/protocol';
import { passwordProblem, usernameProblem } from './credentials';

describe('credential rules in the browser', () => {
  it('agree with the server schema on usernames', () => {
    for (const name of ['ab', 'Ada', 'ada_l.x-1', 'has space', 'x'.repeat(33), 'émile', ' Bob ']) {
      const server = Credentials.safeParse({ username: name, password: 'long enough' }).success;
      expect(usernameProblem(name) === null, name).toBe(server);
    }
  });

  it('agree with the server schema on passwords', () => {
    for (const pw of ['short', '12345678', 'x'.repeat(256), 'x'.repeat(257)]) {
      const server = Credentials.safeParse({ username: 'valid', password: pw }).success;
      expect(passwordProblem(pw) === null, pw).toBe(server);
    }
  });
});
