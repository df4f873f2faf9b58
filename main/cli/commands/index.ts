/** Every sub-command of `nn-studio`, in the order `--help` lists them. One import and one entry each. */
import type { Command } from '../command.js';
import { serve } from './serve.js';

export const commands: Command[] = [serve];
