/**
 * The committed icons are what build/icons/generate.mjs draws (so they can be regenerated from
 * source), and each container holds what a shell looks for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { drawIcon, encodeIcns, encodeIco, encodePng, iconFiles, ICO_SIZES, readIcns, readIco } from '../../build/icons/generate.mjs';
import { appRoot } from '../../main/paths.js';

const iconsDir = join(appRoot, 'build', 'icons');
const committed = (name: string) => readFileSync(join(iconsDir, name));

describe('icons', () => {
  const generated = iconFiles();

  it('are committed exactly as the generator draws them (compared pixel by pixel, not by compressed bytes)', () => {
    for (const [name, bytes] of generated) {
      const file = committed(name);
      if (name.endsWith('.png')) expect(PNG.sync.read(file).data.equals(PNG.sync.read(bytes).data), name).toBe(true);
      if (name.endsWith('.ico')) {
        const [want, got] = [readIco(bytes), readIco(file)];
        expect(got.map((i) => i.size), name).toEqual(want.map((i) => i.size));
        got.forEach((image, i) => expect(image.rgba.equals(want[i].rgba), `${name} ${image.size}`).toBe(true));
      }
      if (name.endsWith('.icns')) {
        const [want, got] = [readIcns(bytes), readIcns(file)];
        expect(got.map((e) => e.type), name).toEqual(want.map((e) => e.type));
        got.forEach((element, i) => expect(element.rgba.equals(want[i].rgba), `${name} ${element.type}`).toBe(true));
      }
    }
  });

  it('draw an opaque body with transparent corners, at every size', () => {
    for (const kind of ['app', 'document'] as const) {
      for (const size of [16, 256]) {
        const rgba = drawIcon(kind, size);
        const alphaAt = (x: number, y: number) => rgba[(y * size + x) * 4 + 3];
        expect(alphaAt(0, 0), `${kind} ${size} corner`).toBe(0);
        expect(alphaAt(size >> 1, size >> 1), `${kind} ${size} centre`).toBe(255);
      }
    }
  });

  it('write ICO files Windows and NSIS read: BMP entries below 256 px, PNG at 256', () => {
    const images = ICO_SIZES.map((size) => ({ size, rgba: drawIcon('app', size) }));
    const ico = readIco(encodeIco(images));
    expect(ico.map((i) => [i.size, i.format])).toEqual([[16, 'bmp'], [24, 'bmp'], [32, 'bmp'], [48, 'bmp'], [64, 'bmp'], [128, 'bmp'], [256, 'png']]);
    ico.forEach((image, i) => expect(image.rgba.equals(images[i].rgba)).toBe(true));
  });

  it('write ICNS files whose length and element types macOS expects, retina types included', () => {
    const icns = generated.get('icon.icns')!;
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    const elements = readIcns(icns);
    expect(elements.map((e) => e.type)).toEqual(['icp4', 'icp5', 'ic11', 'icp6', 'ic12', 'ic07', 'ic08', 'ic13', 'ic09', 'ic14', 'ic10']);
    for (const e of elements) expect(e.width, e.type).toBe(e.size);
    expect(() => readIcns(Buffer.concat([icns, Buffer.alloc(1)]))).toThrow(/length/);
    // Only the sizes given are written.
    expect(readIcns(encodeIcns(new Map([[16, encodePng(drawIcon('document', 16), 16)]]))).map((e) => e.type)).toEqual(['icp4']);
  });
});
