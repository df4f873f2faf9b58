/**
 * Prints the rows of each split as `nn-studio train` splits a dataset (its default split seed, or
 * argv[3]; the fold argv[4]/argv[5] when given), as JSON: {"train":[…],"validation":[…],"test":[…]}.
 * For build/bench/defaults-vs-sklearn.py, so scikit-learn is judged on the very same rows.
 * Run: npx esbuild build/bench/split-rows.ts --bundle --platform=node --format=esm --outfile=OUT.mjs && node OUT.mjs FILE [SEED]
 */
import { prepareDataset } from '../../main/data/index.js';
import { DEFAULT_SPLIT_SEED } from '../../shared/runs/config.js';

const [file, seed, folds, fold] = process.argv.slice(2);
const options = { seed: seed ? Number(seed) : DEFAULT_SPLIT_SEED, ...(folds ? { fold: { count: Number(folds), index: Number(fold) } } : {}) };
const prepared = await prepareDataset(file, options);
process.stdout.write(JSON.stringify({
  train: Array.from(prepared.train.rows), validation: Array.from(prepared.validation.rows), test: Array.from(prepared.test.rows),
}) + '\n');
