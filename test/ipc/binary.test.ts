import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToFloat32, bytesToBase64, float32ToBase64 } from '../../shared/ipc/binary.js';
import { Random } from '../../shared/nn/random.js';

describe('weights as base64', () => {
  it('round-trips every float32 bit pattern exactly, including NaN payloads, ±0, ±Infinity and subnormals', () => {
    const rng = new Random(5);
    const bits = new Uint32Array(100_003);
    for (let i = 0; i < bits.length; i++) bits[i] = rng.nextUint32();
    bits.set([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x7fc00001]);
    const values = new Float32Array(bits.buffer);
    const back = new Uint32Array(base64ToFloat32(float32ToBase64(values)).buffer.slice(0));
    expect(back).toEqual(bits);
  });

  it('agrees with Node\'s own base64 on every length remainder', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 65_537]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 255);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
      expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
  });

  it('refuses text that is not base64 or not whole floats', () => {
    expect(() => base64ToBytes('abc$')).toThrow(/not base64/);
    expect(() => base64ToBytes('ab=c')).toThrow(/not base64/);
    expect(() => base64ToBytes('abcde')).toThrow(/not base64/);
    expect(() => base64ToBytes('é€abc')).toThrow(/not base64/);
    expect(base64ToBytes('AQI')).toEqual(Uint8Array.from([1, 2])); // padding left out, as atob takes it
    expect(() => base64ToFloat32(bytesToBase64(new Uint8Array(6)))).toThrow(/not a whole number of floats/);
  });
});
