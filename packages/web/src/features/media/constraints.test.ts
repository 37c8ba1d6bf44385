import { describe, expect, it } from 'vitest';
import { AUDIO_CONSTRAINTS, VIDEO_CONSTRAINTS } from './constraints';
import { PREFS_KEY } from '../devices/device-prefs';
import html from '../../../index.html?raw';

describe('early start in index.html', () => {
  /** The object literal assigned to `var <name>` in the inline script, evaluated. */
  const literal = (name: string): unknown => {
    const match = new RegExp(`var ${name} = (\\{[\\s\\S]*?\\});`).exec(html);
    expect(match, `var ${name} in index.html`).not.toBeNull();
    return new Function(`return ${match?.[1] ?? 'null'}`)() as unknown;
  };

  it('asks for the same camera and microphone settings as the app', () => {
    // Otherwise the early stream would not be what LocalMedia would have asked for.
    expect(literal('video')).toEqual(VIDEO_CONSTRAINTS);
    expect(literal('audio')).toEqual(AUDIO_CONSTRAINTS);
  });

  it('reads device flags with the same rule as the direct-link parser', () => {
    expect(html).toContain('/^(0|false|off|no)$/i');
  });

  it('starts on the devices the app remembers, read from the same key', () => {
    // Else a direct link would open the default camera and the app switch it later.
    expect(html).toContain(`localStorage.getItem('${PREFS_KEY}')`);
    expect(html).toContain('deviceId = { ideal: device.id }');
  });
});
