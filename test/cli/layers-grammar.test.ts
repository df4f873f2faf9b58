/** The `--layers` grammar: every item kind, the implied flatten, and messages naming the bad item. */
import { describe, expect, it } from 'vitest';
import { LayersSyntaxError, parseLayersText } from '../../shared/nn/layers-grammar.js';

describe('--layers grammar', () => {
  it('keeps the meaning of the old units:activation lists (dense, relu by default)', () => {
    expect(parseLayersText('64:relu,32:tanh')).toEqual([
      { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: 32, activation: 'tanh' },
    ]);
    expect(parseLayersText('16')).toEqual([{ type: 'dense', units: 16, activation: 'relu' }]);
    expect(parseLayersText('dense:8:sigmoid')).toEqual([{ type: 'dense', units: 8, activation: 'sigmoid' }]);
    expect(parseLayersText('  ')).toEqual([]);
  });

  it('reads the issue\'s CNN recipe and implies a flatten before the first dense layer after 2-D layers', () => {
    expect(parseLayersText('conv:32x3:relu,maxpool:2,conv:64x3:relu,maxpool:2,dense:128:relu')).toEqual([
      { type: 'conv2d', filters: 32, kernel: 3, activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'conv2d', filters: 64, kernel: 3, activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 128, activation: 'relu' },
    ]);
  });

  it('reads stride, padding, pooling strides and the argument-free layers', () => {
    expect(parseLayersText('conv:32x3/2:relu:same, conv:8x5:same, maxpool:3/2, avgpool:2, batchnorm, act:relu, dropout:0.25, globalavgpool, 10')).toEqual([
      { type: 'conv2d', filters: 32, kernel: 3, stride: 2, padding: 'same', activation: 'relu' },
      { type: 'conv2d', filters: 8, kernel: 5, padding: 'same' },
      { type: 'maxpool2d', size: 3, stride: 2 },
      { type: 'avgpool2d', size: 2 },
      { type: 'batchnorm' },
      { type: 'activation', activation: 'relu' },
      { type: 'dropout', rate: 0.25 },
      { type: 'globalavgpool' },
      // globalavgpool already gives [C]: no flatten before the dense layer
      { type: 'dense', units: 10, activation: 'relu' },
    ]);
  });

  it('adds no second flatten when one is written, and none before dense layers of vector data', () => {
    expect(parseLayersText('conv:4x3,flatten,dropout:0.5,32').map((l) => l.type)).toEqual(['conv2d', 'flatten', 'dropout', 'dense']);
    expect(parseLayersText('conv:4x3,dropout:0.5,32,16').map((l) => l.type)).toEqual(['conv2d', 'dropout', 'flatten', 'dense', 'dense']);
  });

  it.each([
    ['64:relu,32:relu,conv:32x', "--layers item 3 'conv:32x': expected conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]"],
    ['conv:0x3', "--layers item 1 'conv:0x3': filters, kernel and stride must be whole numbers ≥ 1; expected conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]"],
    ['conv:8x3:relu:tanh', "--layers item 1 'conv:8x3:relu:tanh': 'tanh' is neither an activation after 'relu' nor same/valid; expected conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]"],
    ['64:relu,maxpool:2/', "--layers item 2 'maxpool:2/': expected maxpool:SIZE[/STRIDE]"],
    ['dropout:1.5', "--layers item 1 'dropout:1.5': expected dropout:RATE (0 to 0.95)"],
    ['64:rellu', "--layers item 1 '64:rellu': 'rellu' is not an activation"],
    ['32,-4', "--layers item 2 '-4': expected one of UNITS[:ACTIVATION]"],
    ['32,,16', "--layers item 2 '': expected one of"],
    ['batchnorm:0.9', "--layers item 1 'batchnorm:0.9': it takes no arguments; expected batchnorm"],
    ['64:relu:extra', "--layers item 1 '64:relu:extra': expected UNITS[:ACTIVATION] or dense:UNITS[:ACTIVATION]"],
    ['1.5', "--layers item 1 '1.5': expected one of"],
  ])('refuses %j naming the item', (text, message) => {
    expect(() => parseLayersText(text)).toThrow(LayersSyntaxError);
    expect(() => parseLayersText(text)).toThrow(message);
  });
});
