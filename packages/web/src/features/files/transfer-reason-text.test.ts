import { expect, it } from 'vitest';
import type { TransferReason, TransferReasonCode } from '@parley/client';
import { getI18n } from '../../i18n/i18n';
import { transferReasonText } from './transfer-reason-text';

/** One reason of each code: the type makes this list grow with the SDK's. */
const EVERY_REASON: { [C in TransferReasonCode]: Extract<TransferReason, { code: C }> } = {
  declined: { code: 'declined' },
  too_large: { code: 'too_large', limitBytes: 1024 * 1024 },
  cancelled: { code: 'cancelled', byPeer: true },
  peer_left: { code: 'peer_left' },
  not_connected: { code: 'not_connected' },
  channel_failed: { code: 'channel_failed' },
  connection_closed: { code: 'connection_closed' },
  send_failed: { code: 'send_failed' },
  unexpected_text: { code: 'unexpected_text' },
  too_much_data: { code: 'too_much_data' },
  checksum_mismatch: { code: 'checksum_mismatch' },
  verify_failed: { code: 'verify_failed' },
};

it('every reason code is worded in English and French, on both sides of a transfer', () => {
  for (const reason of Object.values(EVERY_REASON)) {
    for (const direction of ['in', 'out'] as const) {
      const t = { direction, peerName: 'Grace' };
      const english = transferReasonText(t, reason, getI18n('en'));
      const french = transferReasonText(t, reason, getI18n('fr'));
      for (const text of [english, french]) {
        expect(text, `${reason.code} ${direction}`).toMatch(/\w/);
        expect(text, `${reason.code} ${direction}: a placeholder left`).not.toMatch(/[{}]/);
      }
      expect(french, `${reason.code} ${direction}`).not.toBe(english);
    }
  }
});

it('says who did it, from the direction and the peer’s name', () => {
  const en = getI18n('en');
  const fr = getI18n('fr');
  const from = { direction: 'in', peerName: 'Ada' } as const;
  const to = { direction: 'out', peerName: 'Grace' } as const;
  expect(transferReasonText(from, { code: 'declined' }, en)).toBe('You declined');
  expect(transferReasonText(to, { code: 'declined' }, en)).toBe('Grace declined');
  expect(transferReasonText(to, { code: 'declined' }, fr)).toBe('Grace a refusé');
  expect(transferReasonText(from, { code: 'cancelled', byPeer: true }, en)).toBe('Ada cancelled');
  expect(transferReasonText(from, { code: 'cancelled', byPeer: false }, fr)).toBe(
    'Vous avez annulé',
  );
  expect(
    transferReasonText(to, { code: 'too_large', limitBytes: 1024 * 1024 }, en).replace(/\s/gu, ' '),
  ).toBe('Grace can receive files up to 1 MB');
  expect(transferReasonText(to, { code: 'checksum_mismatch' }, en)).toBe(
    'The file reached Grace damaged (SHA-256 mismatch)',
  );
});
