#!/usr/bin/env node
/**
 * Draws NN Studio's icons from code and writes every file the installers need:
 *
 *   icon.png (1024), icon.icns (macOS), icon.ico (Windows), png/NxN.png (Linux)   the app
 *   nnstudio-file.icns / .ico / .png                                              a .nnstudio project
 *
 * The drawing is a small neural network (3-4-2 neurons, every link drawn) on a rounded square;
 * the project-file icon puts it on a page with a folded corner. Shapes are signed distance
 * functions, so each pixel's coverage is exact anti-aliasing at any size with one sample.
 * ICO and ICNS are simple containers, written here (PNG entries; BMP entries below 256 px in the
 * ICO for older Windows and NSIS). `node build/icons/generate.mjs` regenerates them; the test
 * checks the committed files match this source.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

// ---------------------------------------------------------------------------------------------
// Shapes as signed distance functions in unit coordinates (0..1, y down); negative inside.

const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
/** Small shapes carry their bounding box, so rendering skips the pixels they cannot touch. */
const withBox = (sdf, x0, y0, x1, y1) => Object.assign(sdf, { box: [x0, y0, x1, y1] });
const circle = (cx, cy, r) => withBox((x, y) => Math.hypot(x - cx, y - cy) - r, cx - r, cy - r, cx + r, cy + r);
const segment = (ax, ay, bx, by, halfWidth) => withBox((x, y) => {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - t * dx, py - t * dy) - halfWidth;
}, Math.min(ax, bx) - halfWidth, Math.min(ay, by) - halfWidth, Math.max(ax, bx) + halfWidth, Math.max(ay, by) + halfWidth);
const intersect = (...shapes) => (x, y) => Math.max(...shapes.map((s) => s(x, y)));
/** The half-plane a·x + b·y ≤ c, as a distance. */
const halfPlane = (a, b, c) => (x, y) => (a * x + b * y - c) / Math.hypot(a, b);

/** Fills: a solid colour, or a vertical gradient between two colours. */
const solid = (rgba) => () => rgba;
const vertical = (top, bottom, y0, y1) => (_x, y) => {
  const t = Math.max(0, Math.min(1, (y - y0) / (y1 - y0)));
  return top.map((c, i) => c + (bottom[i] - c) * t);
};

/** The network mark inside the box (x0, y0)–(x1, y1): links first, then neurons over them. */
function networkLayers(x0, y0, x1, y1, size) {
  const layers = [[0.32, 0.5, 0.68], [0.24, 0.413, 0.587, 0.76], [0.4, 0.6]];
  const xs = [0.26, 0.5, 0.74];
  const map = (u, v) => [x0 + u * (x1 - x0), y0 + v * (y1 - y0)];
  const scale = x1 - x0;
  const pixel = 1 / size;
  const half = Math.max(0.011 * scale, 0.5 * pixel);
  const radius = Math.max(0.052 * scale, 1.2 * pixel);
  const link = solid([255, 255, 255, 0.55]);
  const shapes = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    for (const a of layers[l]) {
      for (const b of layers[l + 1]) shapes.push([segment(...map(xs[l], a), ...map(xs[l + 1], b), half), link]);
    }
  }
  layers.forEach((ys, l) => ys.forEach((v) => {
    const [cx, cy] = map(xs[l], v);
    shapes.push([circle(cx, cy, radius), solid([255, 255, 255, 1])]);
    shapes.push([circle(cx, cy, radius * 0.45), solid([92, 124, 250, 1])]);
  }));
  return shapes;
}

const INDIGO = [59, 91, 219, 1];
const VIOLET = [112, 72, 232, 1];

/** The app icon: the network on an indigo-to-violet rounded square, inset as macOS's grid asks. */
function appIcon(size) {
  const m = 0.09;
  return [
    [roundedRect(m, m, 1 - m, 1 - m, 0.19), vertical(INDIGO, VIOLET, m, 1 - m)],
    ...networkLayers(m, m, 1 - m, 1 - m, size),
  ];
}

/** The project-file icon: a page with a folded corner, the app's mark on it. */
function documentIcon(size) {
  const [x0, y0, x1, y1, fold] = [0.17, 0.06, 0.83, 0.94, 0.2];
  const page = roundedRect(x0, y0, x1, y1, 0.035);
  // Cut the top-right corner along the fold line x - y = x1 - fold - y0.
  const cut = halfPlane(1, -1, x1 - fold - y0);
  // The folded-over flap: the triangle under the fold line inside the corner square.
  const flap = intersect(halfPlane(1, -1, x1 - fold - y0), halfPlane(-1, 0, -(x1 - fold)), halfPlane(0, 1, y0 + fold));
  const badge = [0.27, 0.36, 0.73, 0.82];
  return [
    [intersect(page, cut), solid([206, 212, 218, 1])],
    [intersect(roundedRect(x0 + 0.012, y0 + 0.012, x1 - 0.012, y1 - 0.012, 0.03), halfPlane(1, -1, x1 - fold - y0 - 0.017)), solid([248, 249, 250, 1])],
    [flap, solid([173, 181, 189, 1])],
    [roundedRect(...badge, 0.1), vertical(INDIGO, VIOLET, badge[1], badge[3])],
    ...networkLayers(...badge, size),
  ];
}

/** Renders shapes (painted in order, alpha over) into a size×size RGBA buffer. */
export function render(shapes, size) {
  const rgba = Buffer.alloc(size * size * 4);
  const margin = 1 / size; // a pixel outside the box may still be partly covered
  const outside = (box, x, y) => box && (x < box[0] - margin || y < box[1] - margin || x > box[2] + margin || y > box[3] + margin);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size, y = (py + 0.5) / size;
      let r = 0, g = 0, b = 0, a = 0;
      for (const [shape, fill] of shapes) {
        if (outside(shape.box, x, y)) continue;
        // Coverage of this pixel by the shape: the distance to its edge in pixels, clamped.
        const coverage = Math.max(0, Math.min(1, 0.5 - shape(x, y) * size));
        if (coverage === 0) continue;
        const [fr, fg, fb, fa] = fill(x, y);
        const sa = fa * coverage;
        const outA = sa + a * (1 - sa);
        r = (fr * sa + r * a * (1 - sa)) / outA;
        g = (fg * sa + g * a * (1 - sa)) / outA;
        b = (fb * sa + b * a * (1 - sa)) / outA;
        a = outA;
      }
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(r);
      rgba[i + 1] = Math.round(g);
      rgba[i + 2] = Math.round(b);
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return rgba;
}

export const ICONS = { app: appIcon, document: documentIcon };

/** The icon's pixels (RGBA, row-major) at `size`. */
export function drawIcon(kind, size) {
  return render(ICONS[kind](size), size);
}

export function encodePng(rgba, size) {
  const png = new PNG({ width: size, height: size });
  rgba.copy(png.data);
  return PNG.sync.write(png, { colorType: 6 });
}

// ---------------------------------------------------------------------------------------------
// Containers

/** A 32-bit BMP (DIB) icon entry: BGRA rows bottom-up, then the 1-bit AND mask (all opaque: alpha decides). */
function bmpEntry(rgba, size) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR image + AND mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4, to = ((size - 1 - y) * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
    }
  }
  const mask = Buffer.alloc(Math.ceil(size / 32) * 4 * size);
  return Buffer.concat([header, pixels, mask]);
}

/** An ICO file: PNG entries at 256 px, BMP entries below (what NSIS and older shells read). */
export function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  const bodies = images.map(({ size, rgba }) => (size >= 256 ? encodePng(rgba, size) : bmpEntry(rgba, size)));
  let offset = header.length;
  images.forEach(({ size }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at); // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(bodies[i].length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += bodies[i].length;
  });
  return Buffer.concat([header, ...bodies]);
}

/** ICNS element types holding PNG data, by pixel size (the @2x types share sizes with the 1x ones). */
export const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['ic11', 32], ['icp6', 64], ['ic12', 64], ['ic07', 128],
  ['ic08', 256], ['ic13', 256], ['ic09', 512], ['ic14', 512], ['ic10', 1024],
];

/** An ICNS file: the 'icns' header, then each element (type, length including its header, PNG data). */
export function encodeIcns(pngBySize) {
  const elements = ICNS_TYPES.filter(([, size]) => pngBySize.has(size)).map(([type, size]) => {
    const data = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([head, data]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + elements.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

// ---------------------------------------------------------------------------------------------
// Readers (for the tests: what a shell would find in the files)

/** The images in an ICO file: size and RGBA pixels, decoding PNG and BMP entries. */
export function readIco(buffer) {
  if (buffer.readUInt16LE(0) !== 0 || buffer.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = buffer.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const at = 6 + 16 * i;
    const size = buffer.readUInt8(at) || 256;
    const body = buffer.subarray(buffer.readUInt32LE(at + 12), buffer.readUInt32LE(at + 12) + buffer.readUInt32LE(at + 8));
    if (body.subarray(1, 4).toString('ascii') === 'PNG') {
      const png = PNG.sync.read(body);
      return { size, format: 'png', width: png.width, rgba: png.data };
    }
    const width = body.readInt32LE(4);
    const rgba = Buffer.alloc(width * width * 4);
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const from = 40 + ((width - 1 - y) * width + x) * 4, to = (y * width + x) * 4;
        rgba[to] = body[from + 2];
        rgba[to + 1] = body[from + 1];
        rgba[to + 2] = body[from];
        rgba[to + 3] = body[from + 3];
      }
    }
    return { size, format: 'bmp', width, rgba };
  });
}

/** The elements of an ICNS file: type, declared size, and the decoded PNG. */
export function readIcns(buffer) {
  if (buffer.toString('ascii', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (buffer.readUInt32BE(4) !== buffer.length) throw new Error('ICNS length does not match the file');
  const elements = [];
  for (let at = 8; at < buffer.length;) {
    const type = buffer.toString('ascii', at, at + 4);
    const length = buffer.readUInt32BE(at + 4);
    const png = PNG.sync.read(buffer.subarray(at + 8, at + length));
    elements.push({ type, size: ICNS_TYPES.find(([t]) => t === type)?.[1], width: png.width, rgba: png.data });
    at += length;
  }
  return elements;
}

// ---------------------------------------------------------------------------------------------
// The files

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024];

/** Every icon file, path (relative to build/icons) → bytes. */
export function iconFiles() {
  const files = new Map();
  for (const [kind, stem] of [['app', 'icon'], ['document', 'nnstudio-file']]) {
    const cache = new Map();
    const pixels = (size) => cache.get(size) ?? cache.set(size, drawIcon(kind, size)).get(size);
    const pngs = new Map(ICNS_SIZES.map((size) => [size, encodePng(pixels(size), size)]));
    files.set(`${stem}.png`, kind === 'app' ? pngs.get(1024) : pngs.get(512));
    files.set(`${stem}.icns`, encodeIcns(pngs));
    files.set(`${stem}.ico`, encodeIco(ICO_SIZES.map((size) => ({ size, rgba: pixels(size) }))));
    if (kind === 'app') for (const size of LINUX_SIZES) files.set(`png/${size}x${size}.png`, pngs.get(size) ?? encodePng(pixels(size), size));
  }
  return files;
}

/** Writes the icon files under `dir`. */
export function writeIcons(dir) {
  for (const [name, bytes] of iconFiles()) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeIcons(dirname(fileURLToPath(import.meta.url)));
}
