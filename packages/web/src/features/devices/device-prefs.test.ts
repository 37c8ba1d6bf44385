import { describe, expect, it } from 'vitest';
import { PREFS_KEY, loadPrefs, savePrefs, type StorageLike } from './device-prefs';

function memory(
  initial: Record<string, string> = {},
): StorageLike & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('device preferences', () => {
  it('remembers each choice by id and label, merging later ones', () => {
    const storage = memory();
    savePrefs({ audioinput: { id: 'a', label: 'Headset' } }, storage);
    savePrefs({ noiseSuppression: false }, storage);
    expect(loadPrefs(storage)).toEqual({
      audioinput: { id: 'a', label: 'Headset' },
      noiseSuppression: false,
    });
  });
  it('treats missing, corrupt or malformed data as nothing chosen', () => {
    expect(loadPrefs(memory())).toEqual({});
    expect(loadPrefs(memory({ [PREFS_KEY]: '{nope' }))).toEqual({});
    expect(loadPrefs(memory({ [PREFS_KEY]: '42' }))).toEqual({});
    expect(
      loadPrefs(
        memory({
          [PREFS_KEY]: JSON.stringify({ videoinput: { id: 3 }, noiseSuppression: 'yes' }),
        }),
      ),
    ).toEqual({});
  });
  it('works without storage and survives a full one', () => {
    expect(loadPrefs(null)).toEqual({});
    const full: StorageLike = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(savePrefs({ noiseSuppression: true }, full)).toEqual({ noiseSuppression: true });
  });
});
