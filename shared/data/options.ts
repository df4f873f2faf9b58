/**
 * The choices a person makes about a dataset, as one plain-JSON object: how to read the file,
 * which column is the target, what to exclude, how to fill missing values and normalise, how to
 * split. The same object drives `inspect`, the Data page and the worker's `prepareDataset`, and
 * is saved in the project, so this zod schema is the IPC contract for it (reuse, don't redeclare).
 * Every field is optional; `resolveOptions` fills the defaults.
 */
import { z } from 'zod';
import { DatasetError } from './errors.js';

export const Task = z.enum(['classification', 'regression']);
export type Task = z.infer<typeof Task>;

export const MissingStrategy = z.enum(['drop', 'mean', 'median', 'most-frequent']);
export type MissingStrategy = z.infer<typeof MissingStrategy>;

export const Normalization = z.enum(['none', 'minmax', 'zscore']);
export type Normalization = z.infer<typeof Normalization>;

/** The answer to a "numeric column holding text in some rows" problem (see DatasetError remedies). */
export const ColumnFix = z.enum(['categorical', 'drop-rows']);
export type ColumnFix = z.infer<typeof ColumnFix>;

export const SplitFractions = z
  .object({
    train: z.number().min(0).max(1),
    validation: z.number().min(0).max(1),
    test: z.number().min(0).max(1),
  })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 1) < 1e-6, { message: 'train + validation + test must add up to 1' })
  .refine((s) => s.train > 0, { message: 'train must be more than 0' });
export type SplitFractions = z.infer<typeof SplitFractions>;

export const Fold = z
  .object({ count: z.number().int().min(2).max(20), index: z.number().int().min(0) })
  .refine((f) => f.index < f.count, { message: 'the fold index must be below the number of folds' });
export type Fold = z.infer<typeof Fold>;

export const DEFAULT_SPLIT: SplitFractions = { train: 0.7, validation: 0.15, test: 0.15 };

export const DatasetOptions = z.object({
  // Reading
  /** Delimited text: is the first row a header? Detected when absent. */
  header: z.boolean().optional(),
  /** Delimited text: ',', ';', '\t' or '|'. Sniffed when absent. */
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  /** Image folders and zips: images are resized to size × size (default 28); 'original' keeps their size (then all must match). */
  imageSize: z.union([z.number().int().min(1).max(1024), z.literal('original')]).optional(),
  /** Image folders and zips: 'grayscale' (default) or 'rgb'. */
  channels: z.enum(['grayscale', 'rgb']).optional(),
  /**
   * Delimited text of pixel columns (Kaggle's `label,pixel0…pixel783` MNIST CSVs): read each row as
   * an image of [channels, height, width], its pixel columns in C, H, W order with whole values
   * 0–255, beside the label column (the target, else a column named label, else none).
   */
  imageShape: z.tuple([z.union([z.literal(1), z.literal(3)]), z.number().int().min(1).max(4096), z.number().int().min(1).max(4096)]).optional(),

  // Schema
  /** Target column (default: the last one). */
  target: z.string().optional(),
  /** Override the inferred task. */
  task: Task.optional(),
  /** Columns left out of the features. */
  exclude: z.array(z.string()).optional(),
  /** Per column: how to resolve text found in a numeric column. */
  fixes: z.record(z.string(), ColumnFix).optional(),

  // Preprocessing (fitted on the training split only)
  /** Missing feature values: drop the rows, or fill with the training mean / median / most frequent value (default 'mean'; categorical columns always use the most frequent). */
  missing: MissingStrategy.optional(),
  /** Feature scaling (default 'zscore' for tables, 'none' for images, whose pixels are already in [0, 1]). */
  normalize: Normalization.optional(),

  // Splitting
  /** Fractions (default 70/15/15, or the sample's own). IDX data keeps its own test set. */
  split: SplitFractions.optional(),
  /** Seed of the shuffle and the split. */
  seed: z.number().int().optional(),
  /** Keep class proportions in every split (default true for classification). */
  stratify: z.boolean().optional(),
  /**
   * k-fold cross-validation: fold `index` (0-based) of `count` is the test split, the other folds
   * are split into train and validation by `split`'s train : validation ratio.
   */
  fold: Fold.optional(),
});
export type DatasetOptions = z.infer<typeof DatasetOptions>;

/** Options with every default filled in (what preprocessing records). */
export interface ResolvedOptions {
  header?: boolean;
  delimiter?: ',' | ';' | '\t' | '|';
  imageSize: number | 'original';
  channels: 'grayscale' | 'rgb';
  imageShape?: [1 | 3, number, number];
  target?: string;
  task?: Task;
  exclude: string[];
  fixes: Record<string, ColumnFix>;
  missing: MissingStrategy;
  normalize?: Normalization;
  split?: SplitFractions;
  seed: number;
  stratify: boolean;
  fold?: Fold;
}

export const DEFAULT_IMAGE_SIZE = 28;
export const DEFAULT_SEED = 42;

/**
 * Validates untrusted options (from IPC, a project file, CLI flags) and fills the defaults. A bad
 * field gives a DatasetError naming it.
 */
export function resolveOptions(input: unknown = {}): ResolvedOptions {
  const parsed = DatasetOptions.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'options';
    throw new DatasetError({ code: 'bad-option', detail: `dataset option '${field}': ${issue.message}` });
  }
  const o = parsed.data;
  return {
    ...o,
    imageSize: o.imageSize ?? DEFAULT_IMAGE_SIZE,
    channels: o.channels ?? 'grayscale',
    exclude: o.exclude ?? [],
    fixes: o.fixes ?? {},
    missing: o.missing ?? 'mean',
    seed: o.seed ?? DEFAULT_SEED,
    stratify: o.stratify ?? true,
  };
}

