/**
 * Float32Arrays as base64 text, so weights cross every transport (Electron IPC, JSON over a
 * WebSocket, project files) exactly and compactly (4 bytes → 5⅓ characters, no rounding).
 * Little-endian, as every platform the studio runs on stores them. Table-driven over byte
 * buffers (TextDecoder/TextEncoder turn them into text and back), which every engine has: a
 * model of megabytes takes milliseconds, where btoa over String.fromCharCode took a tenth of a
 * second per megabyte and made opening a project with a few MNIST runs slow.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character code → 6-bit value, 255 for anything that is not in the alphabet. */
const DECODE = new Uint8Array(256).fill(255);
for (let i = 0; i < 64; i++) DECODE[ENCODE[i]] = i;
const ascii = new TextDecoder('latin1');
const utf8 = new TextEncoder();

export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = ENCODE[(v >> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | (i + 1 < n ? bytes[i + 1] << 8 : 0);
    out[o++] = ENCODE[v >> 18];
    out[o++] = ENCODE[(v >> 12) & 63];
    out[o++] = i + 1 < n ? ENCODE[(v >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return ascii.decode(out);
}

export function base64ToBytes(text: string): Uint8Array {
  const codes = utf8.encode(text);
  let length = codes.length;
  while (length > 0 && codes[length - 1] === PAD && codes.length - length < 2) length--;
  const notBase64 = () => new Error('not base64 text (expected A–Z, a–z, 0–9, + and / with = padding)');
  if (length % 4 === 1) throw notBase64();
  const out = new Uint8Array(Math.floor((length * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const a = DECODE[codes[i]], b = DECODE[codes[i + 1]], c = DECODE[codes[i + 2]], d = DECODE[codes[i + 3]];
    if ((a | b | c | d) === 255 || a > 63 || b > 63 || c > 63 || d > 63) throw notBase64();
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  if (i < length) {
    const a = DECODE[codes[i]], b = DECODE[codes[i + 1]], c = i + 2 < length ? DECODE[codes[i + 2]] : 0;
    if (a > 63 || b > 63 || c > 63) throw notBase64();
    const v = (a << 18) | (b << 12) | (c << 6);
    out[o++] = v >> 16;
    if (i + 2 < length) out[o++] = (v >> 8) & 255;
  }
  return out;
}

export function float32ToBase64(values: Float32Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new Error(`base64 float32 data of ${bytes.length} bytes is not a whole number of floats`);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
