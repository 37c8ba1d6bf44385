import { describe, expect, it } from 'vitest';
import { deviceLabel, diffDevices, findSaved, type DeviceEntry } from './device-choice';

const mic = (deviceId: string, label = `Mic ${deviceId}`): DeviceEntry => ({
  deviceId,
  kind: 'audioinput',
  label,
});

describe('findSaved', () => {
  const list = [mic('a', 'Laptop mic'), mic('b', 'USB headset')];
  it('finds the remembered device by id first', () => {
    expect(findSaved(list, { id: 'b', label: 'Laptop mic' })?.deviceId).toBe('b');
  });
  it('falls back to the label when the browser gave the device a new id', () => {
    expect(findSaved(list, { id: 'old-id', label: 'USB headset' })?.deviceId).toBe('b');
  });
  it('finds nothing when neither matches, or nothing was saved', () => {
    expect(findSaved(list, { id: 'x', label: 'Gone' })).toBeUndefined();
    expect(findSaved(list, { id: 'x', label: '' })).toBeUndefined();
    expect(findSaved(list, undefined)).toBeUndefined();
  });
});

describe('diffDevices', () => {
  it('falls back to the first device left when the one in use is unplugged', () => {
    const change = diffDevices([mic('a'), mic('b'), mic('c')], [mic('a'), mic('c')], 'b');
    expect(change).toEqual({ type: 'lost', lost: mic('b'), next: mic('a') });
  });
  it('prefers the remembered device as the fallback', () => {
    const change = diffDevices([mic('a'), mic('b'), mic('c')], [mic('a'), mic('c')], 'b', {
      id: 'c',
      label: 'Mic c',
    });
    expect(change).toMatchObject({ type: 'lost', next: mic('c') });
  });
  it('says so when no device is left', () => {
    expect(diffDevices([mic('a')], [], 'a')).toEqual({
      type: 'lost',
      lost: mic('a'),
      next: undefined,
    });
  });
  it('offers a device that was plugged in', () => {
    expect(diffDevices([mic('a')], [mic('a'), mic('b', 'Headset')], 'a')).toEqual({
      type: 'added',
      added: mic('b', 'Headset'),
    });
  });
  it('offers nothing before access is granted (no labels) or when nothing changed', () => {
    expect(diffDevices([mic('a')], [mic('a'), mic('b', '')], 'a')).toEqual({ type: 'none' });
    expect(diffDevices([mic('a')], [mic('a')], 'a')).toEqual({ type: 'none' });
  });
  it('reports the loss before an arrival when both happen at once', () => {
    expect(diffDevices([mic('a')], [mic('b')], 'a')).toMatchObject({
      type: 'lost',
      next: mic('b'),
    });
  });
  it('only offers when no device is in use (camera off)', () => {
    expect(diffDevices([mic('a')], [mic('b')], null)).toMatchObject({ type: 'added' });
  });
});

describe('deviceLabel', () => {
  it('uses the label, or a numbered noun while labels are hidden', () => {
    expect(deviceLabel(mic('a', 'Headset'), 0, 'audioinput')).toBe('Headset');
    expect(deviceLabel(mic('a', ''), 1, 'audioinput')).toBe('Microphone 2');
    expect(deviceLabel(undefined, 0, 'videoinput')).toBe('Camera 1');
  });
});
