/** `train --layers` (the grammar's messages) and `train --model spec.json`, through the real CLI. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { nnStudio } from './run.js';

const folder = mkdtempSync(join(tmpdir(), 'nn-studio-model-'));

/** The layers of a saved project's first run, read from the project file (a zip holding project.json). */
function savedLayers(project: string): unknown[] {
  const json = JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(project))['project.json']));
  return json.runs[0].outcome.spec.layers;
}

describe('train --model FILE.json', () => {
  it('trains the spec\'s layers (the data sizes the output layer)', () => {
    const spec = join(folder, 'spec.json');
    writeFileSync(spec, JSON.stringify({
      kind: 'mlp', inputs: 4, task: 'classification', loss: 'categorical-crossentropy',
      layers: [{ units: 12, activation: 'tanh' }, { units: 3, activation: 'softmax' }],
    }));
    const project = join(folder, 'iris.nnstudio');
    const { code, stderr } = nnStudio(['train', 'sample:iris', '--model', spec, '--epochs', '5', '--out', project, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const layers = savedLayers(project);
    expect(layers).toHaveLength(2);
    expect(layers[0]).toMatchObject({ units: 12, activation: 'tanh' });
    expect(layers[1]).toMatchObject({ units: 3, activation: 'softmax' });
  });

  it('a bad file, bad JSON, a bad field or both --model and --layers: one line naming it, exit 2', () => {
    const badJson = join(folder, 'bad.json');
    writeFileSync(badJson, '{"kind": "mlp"');
    const badField = join(folder, 'field.json');
    writeFileSync(badField, JSON.stringify({ kind: 'mlp', inputs: 4, task: 'classification', loss: 'mse', layers: [{ units: 0, activation: 'relu' }] }));
    const cases: [string[], string][] = [
      [['--model', join(folder, 'none.json')], `--model ${join(folder, 'none.json')}: cannot read it (ENOENT)`],
      [['--model', badJson], `--model ${badJson}: expected a JSON model spec, found invalid JSON`],
      [['--model', badField], `--model ${badField}: model spec, layers.0.`],
      [['--model', badField, '--layers', '8'], 'give either --model FILE or --layers, not both'],
      [['--layers', '64:relu,32:relu,conv:32x'], "--layers item 3 'conv:32x': expected conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]"],
      [['--layers', '16,dropout:2'], "--layers item 2 'dropout:2': expected dropout:RATE (0 to 0.95)"],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = nnStudio(['train', 'sample:iris', ...flags]);
      expect(code, flags.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), flags.join(' ')).toHaveLength(1);
      expect(stderr, flags.join(' ')).toContain(message);
    }
  });
});
