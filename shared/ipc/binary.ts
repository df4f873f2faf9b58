/**
 * Float32Arrays as base64 text, so weights cross every transport (Electron IPC, JSON over a
 * WebSocket, project files) exactly and compactly (4 bytes → 5⅓ characters, no rounding).
 * Little-endian, as every platform the studio runs on stores them. Uses the platform's btoa/atob
 * (Node, Electron and browsers all have them), fed in chunks so large models stay fast.
 */

/** Bytes per String.fromCharCode call: well under every engine's argument limit. */
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return btoa(binary);
}

export function base64ToBytes(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new Error('not base64 text (expected A–Z, a–z, 0–9, + and / with = padding)');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function float32ToBase64(values: Float32Array): string {
  return bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = base64ToBytes(text);
  if (bytes.length % 4 !== 0) throw new Error(`base64 float32 data of ${bytes.length} bytes is not a whole number of floats`);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}
