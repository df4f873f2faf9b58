/** Colour arithmetic for canvases (which need concrete colours, not CSS mixes). */

/** "#2563eb" → [37, 99, 235]; also "#abc". Unknown formats give mid grey. */
export function parseHex(color: string): [number, number, number] {
  const hex = color.trim().replace(/^#/, '');
  const full = hex.length === 3 ? hex.split('').map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}$/i.test(full)) return [128, 128, 128];
  return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
}

/** A hex colour with an alpha, as rgba(). */
export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = parseHex(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Linear mix of two hex colours: t = 0 gives a, 1 gives b. */
export function mix(a: string, b: string, t: number): [number, number, number] {
  const x = parseHex(a), y = parseHex(b);
  return [0, 1, 2].map((i) => Math.round(x[i] + (y[i] - x[i]) * t)) as [number, number, number];
}
