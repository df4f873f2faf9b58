/**
 * Learning-rate schedules: the rate for an epoch (0-based) from the base rate η, evaluated when the
 * epoch starts and constant within it.
 *   constant     η
 *   step         η·factor^⌊epoch/every⌋
 *   exponential  η·rate^epoch
 *   cosine       minLr + ½(η − minLr)(1 + cos(π·epoch/epochs))   (needs the planned number of epochs)
 */
import type { ScheduleSpec } from './spec.js';

export function learningRateAt(schedule: ScheduleSpec, baseLr: number, epoch: number, totalEpochs: number): number {
  switch (schedule.name) {
    case 'constant': return baseLr;
    case 'step': return baseLr * Math.pow(schedule.factor, Math.floor(epoch / schedule.every));
    case 'exponential': return baseLr * Math.pow(schedule.rate, epoch);
    case 'cosine': {
      const progress = totalEpochs > 0 ? Math.min(epoch / totalEpochs, 1) : 0;
      return schedule.minLr + 0.5 * (baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * progress));
    }
    default: throw new Error(`unknown schedule ${String((schedule satisfies never as ScheduleSpec).name)}`);
  }
}
