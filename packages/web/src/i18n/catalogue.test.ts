import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@parley/protocol';
import { en } from './en';
import { fr } from './fr';
import { placeholdersOf, type Messages } from './translate';

const catalogues: Record<string, Messages> = { fr };

describe('message catalogues', () => {
  for (const [name, catalogue] of Object.entries(catalogues)) {
    it(`${name} has every English key and no other`, () => {
      const missing = Object.keys(en).filter((key) => !(key in catalogue));
      const extra = Object.keys(catalogue).filter((key) => !(key in en));
      expect(missing, `keys missing in ${name}`).toEqual([]);
      expect(extra, `keys in ${name} that English does not have`).toEqual([]);
    });

    it(`${name} uses the same placeholders and plural shape as English`, () => {
      const wrong: string[] = [];
      for (const [key, message] of Object.entries(en as Messages)) {
        const other = catalogue[key];
        if (other === undefined) {
          continue;
        }
        const a = [...placeholdersOf(message)].sort().join(',');
        const b = [...placeholdersOf(other)].sort().join(',');
        if (a !== b || typeof message !== typeof other) {
          wrong.push(`${key}: {${a}} vs {${b}}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it(`${name} has no empty message`, () => {
      const empty = Object.entries(catalogue)
        .filter(([, m]) => (typeof m === 'string' ? m : m.other).trim() === '')
        .map(([key]) => key);
      expect(empty).toEqual([]);
    });
  }

  it('English has no empty message', () => {
    const empty = Object.entries(en as Messages)
      .filter(([, m]) => (typeof m === 'string' ? m : m.other).trim() === '')
      .map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('has a message for every error code of the protocol', () => {
    const missing = ERROR_CODES.filter((code) => !(`error.${code}` in en));
    expect(missing).toEqual([]);
  });
});
