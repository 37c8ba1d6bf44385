import { expect, it } from 'vitest';
import { SignedOut } from '@parley/protocol';
import { signedOutNotice } from './signed-out-notice';

it('explains every reason the server can give for a signed-out socket', () => {
  for (const reason of SignedOut.shape.reason.options) {
    expect(signedOutNotice(`?why=${reason}`), reason).toMatch(/sign in again/i);
  }
  expect(signedOutNotice('')).toBeNull();
  expect(signedOutNotice('?why=<script>')).toBeNull();
});
