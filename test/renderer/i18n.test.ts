/** The message catalogues: every English key translated, with the same placeholders. */
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import { interpolate, placeholders } from '../../renderer/src/i18n/format.js';

describe('the 简体中文 catalogue', () => {
  const keys = Object.keys(en) as (keyof typeof en)[];

  it('has every key of the English one and no other', () => {
    expect(Object.keys(zh).sort()).toEqual([...keys].sort());
  });

  it('translates every message (nothing empty) and keeps each message’s placeholders', () => {
    for (const key of keys) {
      expect(zh[key].trim(), key).not.toBe('');
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('names the controls the issue fixes in English', () => {
    expect([en['train.train'], en['train.pause'], en['train.resume'], en['train.stop'], en['data.dropArea']]).toEqual(['Train', 'Pause', 'Resume', 'Stop', 'Drop a dataset']);
    expect(['data', 'model', 'train', 'runs', 'results', 'predict', 'inspect'].map((p) => en[`page.${p}` as keyof typeof en]))
      .toEqual(['Data', 'Model', 'Train', 'Runs', 'Results', 'Predict', 'Inspect']);
  });
});

describe('interpolate', () => {
  it('fills placeholders and picks the plural by the number', () => {
    expect(interpolate('{n} {n|row|rows} in {name}', { n: 1, name: 'a.csv' })).toBe('1 row in a.csv');
    expect(interpolate('{n} {n|row|rows}', { n: 3 })).toBe('3 rows');
  });

  it('leaves a placeholder without a value visible', () => {
    expect(interpolate('Epoch {x} / {y}', { x: 2 })).toBe('Epoch 2 / {y}');
  });
});
