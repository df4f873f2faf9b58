/**
 * The engine's typed errors. Each names what is wrong in words a person can act on; the CLI and
 * the worker print `message` as it is (no stack trace for a user's mistake).
 */

/** A model spec or training config that cannot work (bad field, impossible combination). */
export class SpecError extends Error {
  override name = 'SpecError';
  /** Where in the spec, e.g. `layers.1.activation` ('' for the whole spec). */
  readonly field: string;
  /** `context` says which document, e.g. 'model spec' → "model spec, layers.1.units: …". */
  constructor(field: string, message: string, context = '') {
    const where = [context, field].filter(Boolean).join(', ');
    super(where ? `${where}: ${message}` : message);
    this.field = field;
  }
}

/** Data whose size or values do not fit the model (wrong column count, NaN in a row, …). */
export class DataError extends Error {
  override name = 'DataError';
}

/**
 * Training produced NaN or ±Infinity in the loss or the weights. `epoch` and `batch` are 1-based,
 * as people count them; the message suggests the usual cure (a lower learning rate).
 */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly learningRate: number,
    readonly what: 'loss' | 'weights',
    readonly value: number,
    /** What else to try, when the caller knows the data better (e.g. "scale the target 'price'"). */
    cure = 'scale the inputs',
  ) {
    super(`training diverged at epoch ${epoch}, batch ${batch}: the ${what === 'loss' ? 'loss' : 'weights'} became ${value} ` +
      `(learning rate ${learningRate}). Try a lower learning rate, e.g. ${formatLr(learningRate / 10)}, or ${cure}.`);
  }

  /** The same divergence with another suggestion than scaling the inputs. */
  withCure(cure: string): DivergenceError {
    return new DivergenceError(this.epoch, this.batch, this.learningRate, this.what, this.value, cure);
  }
}

function formatLr(lr: number): string {
  return Number(lr.toPrecision(3)).toString();
}
