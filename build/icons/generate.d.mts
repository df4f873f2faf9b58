/** Types for generate.mjs, so the tests calling it are checked. */
export type IconKind = 'app' | 'document';
export interface DecodedImage {
  size: number;
  width: number;
  rgba: Buffer;
}
export const ICNS_TYPES: Array<[type: string, size: number]>;
export const LINUX_SIZES: number[];
export const ICO_SIZES: number[];
export function drawIcon(kind: IconKind, size: number): Buffer;
export function encodePng(rgba: Buffer, size: number): Buffer;
export function encodeIco(images: Array<{ size: number; rgba: Buffer }>): Buffer;
export function encodeIcns(pngBySize: Map<number, Buffer>): Buffer;
export function readIco(buffer: Buffer): Array<DecodedImage & { format: 'png' | 'bmp' }>;
export function readIcns(buffer: Buffer): Array<DecodedImage & { type: string; size: number | undefined }>;
/** Every icon file, path relative to build/icons → bytes. */
export function iconFiles(): Map<string, Buffer>;
export function writeIcons(dir: string): void;
