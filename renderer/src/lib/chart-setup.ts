/**
 * Chart.js, registered once with only the parts the studio draws (line, scatter, bar), with
 * animation off: live charts update several times a second and must not stutter. Colours come
 * from the theme's CSS variables, so charts follow light and dark mode.
 */
import type { ChartConfiguration, ChartType, DefaultDataPoint } from 'chart.js';
import {
  BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, ScatterController, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, ScatterController, Tooltip);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;

/** A CSS variable of the document's theme ("--accent" → "#2563eb"). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The colour of class i (ten distinct, then repeating). */
export function classColor(i: number): string {
  return cssVar(`--class-${i % 10}`);
}

/** Text, grid and font settings from the current theme. */
export function themeDefaults(): void {
  Chart.defaults.color = cssVar('--muted');
  Chart.defaults.borderColor = cssVar('--grid');
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.font.size = 11;
}

const dark = window.matchMedia('(prefers-color-scheme: dark)');
const themeListeners = new Set<() => void>();
dark.addEventListener('change', () => {
  themeDefaults();
  themeListeners.forEach((l) => l());
});
themeDefaults();

/** Calls `listener` when the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  themeListeners.add(listener);
  return () => themeListeners.delete(listener);
}

/**
 * Creates a chart that redraws with `retheme` (new colours from the theme) when the system switches
 * between light and dark; `destroy` undoes both. For a component's onMount.
 */
export function themedChart<T extends ChartType, D = DefaultDataPoint<T>>(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<T, D>,
  retheme: (chart: Chart<T, D>) => void,
): { chart: Chart<T, D>; destroy(): void } {
  const chart = new Chart<T, D>(canvas, config);
  const off = onThemeChange(() => {
    retheme(chart);
    chart.update('none');
  });
  return {
    chart,
    destroy() {
      off();
      chart.destroy();
    },
  };
}

export { Chart };
