/**
 * The `--layers` grammar of the CLI (and any text field that wants it): a comma-separated list of
 * hidden layers, input side first, turned into model spec v2 layer specs. The output layer is not
 * written: the data adds it (its size is the number of classes or targets).
 *
 *   64  64:relu  dense:64:tanh                dense layers (activation default relu)
 *   conv:32x3  conv:32x3:relu  conv:32x3/2:relu:same
 *                                             conv2d: FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same|valid]
 *                                             (activation default identity, so conv,batchnorm,act:relu works)
 *   maxpool:2  maxpool:3/2  avgpool:2         pooling: SIZE[/STRIDE] (stride default = size)
 *   globalavgpool  flatten  batchnorm         no arguments
 *   dropout:0.25                              rate from 0 to 0.95
 *   act:relu                                  an activation on its own
 *
 * A flatten is inserted before the first dense layer that follows 2-D layers (conv, pooling), so
 * the saved spec says what the network does; `64:relu,32:relu` means what it always meant.
 */
import { ACTIVATION_NAMES, type ActivationName } from './activations.js';

/**
 * A v2 layer spec as the grammar produces it (the subset of shared/nn/spec.ts's LayerSpec union
 * that text can spell; defaults left out so the spec's own defaults apply).
 */
export type GrammarLayer =
  | { type: 'dense'; units: number; activation: ActivationName }
  | { type: 'conv2d'; filters: number; kernel: number; stride?: number; padding?: 'valid' | 'same'; activation?: ActivationName }
  | { type: 'maxpool2d' | 'avgpool2d'; size: number; stride?: number }
  | { type: 'globalavgpool' }
  | { type: 'flatten' }
  | { type: 'dropout'; rate: number }
  | { type: 'batchnorm' }
  | { type: 'activation'; activation: ActivationName };

/** A malformed `--layers` item; the message names the item (1-based) and the form expected. */
export class LayersSyntaxError extends Error {
  override name = 'LayersSyntaxError';
}

/** Each item kind's spelling, as the messages quote it. */
const FORMS = {
  dense: 'UNITS[:ACTIVATION] or dense:UNITS[:ACTIVATION]',
  conv: 'conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]',
  maxpool: 'maxpool:SIZE[/STRIDE]',
  avgpool: 'avgpool:SIZE[/STRIDE]',
  dropout: 'dropout:RATE (0 to 0.95)',
  act: 'act:ACTIVATION',
  globalavgpool: 'globalavgpool',
  flatten: 'flatten',
  batchnorm: 'batchnorm',
} as const;

const KNOWN = `one of ${Object.values(FORMS).join(', ')}`;

/**
 * Parses `--layers` text into v2 layer specs; '' is no hidden layer. Throws LayersSyntaxError
 * naming the first bad item, e.g. "--layers item 3 'conv:32x': expected conv:FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same]".
 */
export function parseLayersText(text: string, flag = '--layers'): GrammarLayer[] {
  if (text.trim() === '') return [];
  const layers: GrammarLayer[] = [];
  let spatial = false; // the previous layers keep an image's [C, H, W]
  text.split(',').forEach((raw, i) => {
    const item = raw.trim();
    const fail = (form: string, why = ''): never => {
      throw new LayersSyntaxError(`${flag} item ${i + 1} '${item}': ${why ? `${why}; ` : ''}expected ${form}`);
    };
    const layer = parseItem(item, fail);
    if (layer.type === 'dense' && spatial) layers.push({ type: 'flatten' });
    if (layer.type === 'conv2d' || layer.type === 'maxpool2d' || layer.type === 'avgpool2d') spatial = true;
    else if (layer.type === 'dense' || layer.type === 'flatten' || layer.type === 'globalavgpool') spatial = false;
    layers.push(layer);
  });
  return layers;
}

type Fail = (form: string, why?: string) => never;

function parseItem(item: string, fail: Fail): GrammarLayer {
  const [head, ...args] = item.split(':');
  const kind = head.toLowerCase();
  if (/^\d+$/.test(kind)) return dense([head, ...args], fail);
  switch (kind) {
    case 'dense':
      return dense(args, fail);
    case 'conv':
    case 'conv2d':
      return conv(args, fail);
    case 'maxpool':
    case 'avgpool': {
      if (args.length !== 1) fail(FORMS[kind]);
      const { size, stride } = sizeAndStride(args[0], FORMS[kind], fail);
      return { type: kind === 'maxpool' ? 'maxpool2d' : 'avgpool2d', size, ...(stride !== undefined ? { stride } : {}) };
    }
    case 'dropout': {
      const rate = args.length === 1 && args[0] !== '' ? Number(args[0]) : NaN;
      if (!(rate >= 0 && rate <= 0.95)) fail(FORMS.dropout);
      return { type: 'dropout', rate };
    }
    case 'act':
    case 'activation':
      if (args.length !== 1) fail(FORMS.act);
      return { type: 'activation', activation: activation(args[0], FORMS.act, fail) };
    case 'globalavgpool':
    case 'flatten':
    case 'batchnorm':
      if (args.length !== 0) fail(FORMS[kind], 'it takes no arguments');
      return { type: kind };
    default:
      return fail(KNOWN);
  }
}

/** UNITS[:ACTIVATION] (activation default relu, as `--layers "64,32"` always meant). */
function dense(args: string[], fail: Fail): GrammarLayer {
  if (args.length < 1 || args.length > 2) fail(FORMS.dense);
  const units = wholeNumber(args[0]);
  if (units === null) fail(FORMS.dense, 'the units must be a whole number ≥ 1');
  if (units! > MAX_UNITS) fail(FORMS.dense, `the units must be at most ${MAX_UNITS}`);
  return { type: 'dense', units: units!, activation: args[1] !== undefined ? activation(args[1], FORMS.dense, fail) : 'relu' };
}

/** FILTERSxKERNEL[/STRIDE][:ACTIVATION][:same|valid], the optional parts in any order after the first. */
function conv(args: string[], fail: Fail): GrammarLayer {
  const match = args.length >= 1 ? /^(\d+)x(\d+)(?:\/(\d+))?$/i.exec(args[0]) : null;
  if (!match) return fail(FORMS.conv);
  const [filters, kernel] = [wholeNumber(match[1]), wholeNumber(match[2])];
  const stride = match[3] !== undefined ? wholeNumber(match[3]) : undefined;
  if (filters === null || kernel === null || stride === null) return fail(FORMS.conv, 'filters, kernel and stride must be whole numbers ≥ 1');
  const layer: GrammarLayer & { type: 'conv2d' } = { type: 'conv2d', filters, kernel };
  if (stride !== undefined) layer.stride = stride;
  for (const part of args.slice(1)) {
    const word = part.toLowerCase();
    if (word === 'same' || word === 'valid') {
      if (layer.padding) fail(FORMS.conv, 'the padding is given twice');
      layer.padding = word;
    } else {
      if (layer.activation) fail(FORMS.conv, `'${part}' is neither an activation after '${layer.activation}' nor same/valid`);
      layer.activation = activation(part, FORMS.conv, fail);
    }
  }
  return layer;
}

function sizeAndStride(text: string, form: string, fail: Fail): { size: number; stride?: number } {
  const match = /^(\d+)(?:\/(\d+))?$/.exec(text);
  const size = match ? wholeNumber(match[1]) : null;
  const stride = match?.[2] !== undefined ? wholeNumber(match[2]) : undefined;
  if (size === null || stride === null) return fail(form);
  return stride !== undefined ? { size, stride } : { size };
}

function activation(text: string, form: string, fail: Fail): ActivationName {
  const name = text.toLowerCase();
  if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    fail(form, `'${text}' is not an activation (${ACTIVATION_NAMES.join(', ')})`);
  }
  return name as ActivationName;
}

/** The most units a dense layer may have (the spec's bound on any one dimension). */
const MAX_UNITS = 1_000_000;

/** A whole number ≥ 1 written as digits, else null. */
function wholeNumber(text: string): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && Number.isSafeInteger(n) ? n : null;
}
