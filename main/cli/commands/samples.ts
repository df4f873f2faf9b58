/** `nn-studio samples`: the built-in datasets, usable as `sample:NAME` wherever a path is. */
import type { Command } from '../command.js';
import { SAMPLES } from '../../../shared/data/samples/index.js';

export const samples: Command = {
  name: 'samples',
  summary: 'list the built-in sample datasets (use them as sample:NAME)',
  usage: [
    'Usage: nn-studio samples [--json]',
    '',
    'Lists the built-in datasets with a one-line description. Any command that takes a dataset',
    'path also takes sample:NAME, e.g. nn-studio inspect sample:iris.',
    '',
    '  --json   print them as a JSON array of { name, description, kind, task }',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ values, out }) {
    if (values.json) {
      out(JSON.stringify(SAMPLES.map(({ name, description, kind, task }) => ({ name, description, kind, task }))));
      return 0;
    }
    const width = Math.max(...SAMPLES.map((s) => s.name.length));
    for (const s of SAMPLES) out(`sample:${s.name.padEnd(width)}  ${s.description}`);
    return 0;
  },
};
