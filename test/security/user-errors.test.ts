/** The CLI's error mapper (main/cli/user-errors.ts): which errors are the person's, and how they read. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../main/cli/command.js';
import { flagOfConfigPath, joinNegativeValues, userErrorOf } from '../../main/cli/user-errors.js';

describe('joinNegativeValues', () => {
  const options = { lr: { type: 'string' as const }, seed: { type: 'string' as const }, json: { type: 'boolean' as const } };

  it('makes a negative number after a value flag its value, and leaves everything else alone', () => {
    expect(joinNegativeValues(['data.csv', '--lr', '-1', '--seed', '-0.5', '--json'], options)).toEqual(['data.csv', '--lr=-1', '--seed=-0.5', '--json']);
    expect(joinNegativeValues(['--json', '-1'], options)).toEqual(['--json', '-1']); // a boolean takes no value
    expect(joinNegativeValues(['--lr', '--json'], options)).toEqual(['--lr', '--json']); // not a number
    expect(joinNegativeValues(['--lr=-2'], options)).toEqual(['--lr=-2']);
  });
});

describe('flagOfConfigPath', () => {
  it('names the flag behind each run setting', () => {
    expect(flagOfConfigPath(['training', 'epochs'])).toBe('--epochs');
    expect(flagOfConfigPath(['training', 'learningRate'])).toBe('--lr');
    expect(flagOfConfigPath(['training', 'batchSize'])).toBe('--batch');
    expect(flagOfConfigPath(['model', 'hidden', 2, 'units'])).toBe('--layers (layer 3)');
    expect(flagOfConfigPath(['seed'])).toBe('--seed');
    expect(flagOfConfigPath(['model', 'kind'])).toBeNull();
  });
});

describe('userErrorOf', () => {
  it('turns the person’s mistakes into one line and exit 2', () => {
    const schema = z.object({ training: z.object({ epochs: z.number().max(1000) }) });
    const zod = schema.safeParse({ training: { epochs: 5000 } }).error!;
    expect(userErrorOf(zod)).toEqual({ line: '--epochs: must be at most 1000', exitCode: 2 });
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', path: '/x' });
    expect(userErrorOf(eacces)).toEqual({ line: '/x: permission denied', exitCode: 2 });
    expect(userErrorOf(new UsageError('a\nb', 1))).toEqual({ line: 'a', exitCode: 1 });
    expect(userErrorOf(Object.assign(new Error('bad file\nmore'), { name: 'ProjectError' }))).toEqual({ line: 'bad file', exitCode: 2 });
    expect(userErrorOf(new RangeError('Maximum call stack size exceeded'), 'deep.json')?.line).toMatch(/^deep\.json: nested too deeply/);
  });

  it('leaves bugs alone, so they are reported with their stack', () => {
    expect(userErrorOf(new TypeError('x is undefined'))).toBeNull();
    expect(userErrorOf(new RangeError('Invalid array length'))).toBeNull();
    expect(userErrorOf(Object.assign(new Error('EACCES'), { code: 'EACCES' }))).toBeNull(); // no path: not about the person's file
    expect(userErrorOf('a string')).toBeNull();
  });
});
