/**
 * Learning-rate schedules: the rate for an epoch (0-based) from the base rate η, evaluated when the
 * epoch starts and constant within it.
 *   constant     η
 *   step         η·factor^⌊epoch/every⌋
 *   exponential  η·rate^epoch
 *   cosine       minLr + ½(η − minLr)(1 + cos(π·epoch/epochs))   (needs the planned number of epochs)
 *   plateau      η·scale, where `PlateauTracker` multiplies scale by `factor` whenever the monitored
 *                loss has not improved for `patience` epochs (Keras's ReduceLROnPlateau), never below minLr
 */
import type { ScheduleSpec } from './spec.js';

export function learningRateAt(schedule: ScheduleSpec, baseLr: number, epoch: number, totalEpochs: number): number {
  switch (schedule.name) {
    case 'constant': return baseLr;
    case 'step': return baseLr * Math.pow(schedule.factor, Math.floor(epoch / schedule.every));
    case 'exponential': return baseLr * Math.pow(schedule.rate, epoch);
    case 'plateau': return baseLr; // the tracker's scale applies on top (it depends on the losses, not the epoch)
    case 'cosine': {
      const progress = totalEpochs > 0 ? Math.min(epoch / totalEpochs, 1) : 0;
      return schedule.minLr + 0.5 * (baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * progress));
    }
    default: throw new Error(`unknown schedule ${String((schedule satisfies never as ScheduleSpec).name)}`);
  }
}

/** The state of a reduce-on-plateau schedule: the factor on the base rate, lowered after `patience` epochs without improvement. */
export class PlateauTracker {
  private best = Infinity;
  private waited = 0;
  /** The multiplier on the base learning rate. */
  scale = 1;

  constructor(private readonly schedule: Extract<ScheduleSpec, { name: 'plateau' }>) {}

  /** Records an epoch's monitored loss; lowers `scale` when it is the patience-th epoch in a row without improvement. */
  observe(value: number, baseLr: number): void {
    if (value < this.best) {
      this.best = value;
      this.waited = 0;
      return;
    }
    if (++this.waited < this.schedule.patience) return;
    this.waited = 0;
    const floor = baseLr > 0 ? this.schedule.minLr / baseLr : 0;
    this.scale = Math.max(this.scale * this.schedule.factor, floor);
  }
}
