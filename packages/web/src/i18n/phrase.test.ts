import { expect, it } from 'vitest';
import { ParleyError } from '@parley/client';
import { codePhrase, errorPhrase } from './error-text';
import { getI18n } from './i18n';
import { phrase, say } from './phrase';

const en = getI18n('en');
const fr = getI18n('fr');
/** Intl puts narrow no-break spaces in some units; compare the words. */
const plain = (text: string): string => text.replace(/\s/gu, ' ');

it('a phrase kept in state is worded in the language it is shown in, nested parts included', () => {
  const failed = phrase('chat.olderFailed', {
    reason: errorPhrase(new ParleyError('rate_limited', 'slow down')),
  });
  expect(say(failed, en)).toBe(`Could not load earlier messages: ${en.t('error.rate_limited')}`);
  expect(say(failed, fr)).toBe(
    `Impossible de charger les messages précédents : ${fr.t('error.rate_limited')}`,
  );
  expect(fr.t('error.rate_limited')).not.toBe(en.t('error.rate_limited'));

  // A size is formatted by the reader's language, when it is read.
  const tooLarge = phrase('files.tooLarge', {
    name: 'a.bin',
    size: (l) => l.fileSize(1536 * 1024),
    max: (l) => l.fileSize(1024 * 1024),
  });
  expect(plain(say(tooLarge, en))).toBe('a.bin is 1.5 MB; files up to 1 MB can be shared.');
  expect(plain(say(tooLarge, fr))).toBe(
    'a.bin fait 1,5 Mo ; les fichiers jusqu’à 1 Mo peuvent être partagés.',
  );
});

it('an error code this app does not know still shows, named', () => {
  // A newer server's code, which this version's types do not list.
  const p = codePhrase('brand_new_code');
  expect(say(p, en)).toContain('brand_new_code');
  expect(say(p, fr)).toContain('brand_new_code');
});
