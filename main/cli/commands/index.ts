/** Every sub-command of `nn-studio`, in the order `--help` lists them. One import and one entry each. */
import type { Command } from '../command.js';
import { serve } from './serve.js';
import { inspect } from './inspect.js';
import { samples } from './samples.js';
import { train } from './train.js';
import { evaluate } from './evaluate.js';
import { predict } from './predict.js';
import { gradcheck } from './gradcheck.js';
import { bench } from './bench.js';
import { exportCommand } from './export.js';
import { importCommand } from './import.js';

export const commands: Command[] = [serve, samples, inspect, train, evaluate, predict, exportCommand, importCommand, gradcheck, bench];
