/**
 * Remembered window size and position. Restoring them is pure logic: a saved position is used
 * only if enough of the window would land on a display that is connected now (a monitor may have
 * been unplugged, or the resolution changed), otherwise the window opens centred on the primary
 * display.
 */
import { z } from 'zod';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is stored in userData/window-state.json. */
export const WindowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
  fullScreen: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_SIZE = { width: 1280, height: 800 };
export const MIN_SIZE = { width: 900, height: 600 };

/** How much of the title bar must be on screen for the person to grab and move the window. */
const GRAB = { width: 120, height: 40 };

function overlap(a: Rectangle, b: Rectangle): Rectangle {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - x), height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - y) };
}

/** A window of the default size (shrunk to fit) centred in the work area. */
export function centredIn(workArea: Rectangle, size = DEFAULT_SIZE): Rectangle {
  const width = Math.min(size.width, workArea.width);
  const height = Math.min(size.height, workArea.height);
  return {
    x: workArea.x + Math.round((workArea.width - width) / 2),
    y: workArea.y + Math.round((workArea.height - height) / 2),
    width,
    height,
  };
}

/**
 * The bounds to open the window with: the saved ones when the top strip of the window (where the
 * title bar is) overlaps some display's work area by at least a grab-able area, with the size
 * capped to that display; otherwise centred on the primary display.
 */
export function restoreBounds(saved: WindowState | null, workAreas: readonly Rectangle[], primary: Rectangle): Rectangle {
  if (!saved) return centredIn(primary);
  const titleBar: Rectangle = { x: saved.x, y: saved.y, width: saved.width, height: GRAB.height };
  const host = workAreas.find((area) => {
    const o = overlap(titleBar, area);
    return o.width >= GRAB.width && o.height >= GRAB.height;
  });
  if (!host) return centredIn(primary, saved);
  return {
    x: saved.x,
    y: saved.y,
    width: Math.max(Math.min(saved.width, host.width), Math.min(MIN_SIZE.width, host.width)),
    height: Math.max(Math.min(saved.height, host.height), Math.min(MIN_SIZE.height, host.height)),
  };
}
