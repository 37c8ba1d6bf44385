import { expect, it } from 'vitest';
import { SignedOut } from '@parley/protocol';
import { getI18n } from '../../i18n/i18n';
import { say } from '../../i18n/phrase';
import { signedOutNotice } from './signed-out-notice';

it('explains every reason the server can give for a signed-out socket', () => {
  for (const reason of SignedOut.shape.reason.options) {
    const notice = signedOutNotice(`?why=${reason}`);
    expect(notice && say(notice, getI18n('en')), reason).toMatch(/sign in again/i);
    expect(notice && say(notice, getI18n('fr')), reason).toMatch(/reconnectez-vous/i);
  }
  expect(signedOutNotice('')).toBeNull();
  expect(signedOutNotice('?why=<script>')).toBeNull();
});
