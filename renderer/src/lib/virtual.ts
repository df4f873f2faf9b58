/**
 * The window of a virtualised list: which rows to render for a scroll position. A browser cannot
 * make an element millions of rows tall (Chrome stops near 33 million pixels), so past
 * `maxHeight` the scroll range is compressed: the scroll fraction picks the first row.
 */

export interface VirtualWindow {
  /** First and one-past-last row to render. */
  start: number;
  end: number;
  /** Pixels from the top of the scroll area to the first rendered row. */
  offset: number;
  /** Height of the scroll area's content. */
  totalHeight: number;
}

export const MAX_SCROLL_HEIGHT = 8_000_000;

export function virtualWindow(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8, maxHeight = MAX_SCROLL_HEIGHT): VirtualWindow {
  const natural = total * rowHeight;
  const totalHeight = Math.min(natural, maxHeight);
  const visible = Math.ceil(viewport / rowHeight) + 1;
  let first: number;
  if (natural <= maxHeight) {
    first = Math.floor(scrollTop / rowHeight);
  } else {
    const scrollable = Math.max(1, totalHeight - viewport);
    const fraction = Math.min(1, Math.max(0, scrollTop / scrollable));
    first = Math.round(fraction * Math.max(0, total - visible + 1));
  }
  const start = Math.max(0, Math.min(total, first - overscan));
  const end = Math.min(total, first + visible + overscan);
  // Compressed: rows are drawn at their natural spacing starting where the viewport is.
  const offset = natural <= maxHeight ? start * rowHeight : scrollTop - (first - start) * rowHeight;
  return { start, end, offset: Math.max(0, offset), totalHeight };
}
