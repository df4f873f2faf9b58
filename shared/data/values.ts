/**
 * How one cell of a table is read: a number, a missing value, or text. Used by every format
 * (CSV, JSON, samples) and by `applyPreprocessing` for a row typed into a form, so a value means
 * the same thing at training and at prediction time.
 */

/** The spellings of "no value": empty, NA, N/A, NaN, null, ? (any case, surrounding spaces ignored). */
const MISSING_TOKENS = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);

/** True when the text is one of the missing-value spellings. */
export function isMissingToken(text: string): boolean {
  if (text.length > 4 && text.trim().length > 4) return false;
  return MISSING_TOKENS.has(text.trim().toLowerCase());
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The number a cell spells in decimal notation (`12`, `-3.5`, `.5`, `1e-3`, ` 7 `), else NaN.
 * Refuses what `Number()` would accept but a person would not call a number in a table: blank
 * text, hexadecimal/binary/octal literals, `Infinity`. With `decimalComma` (semicolon-separated
 * files from locales that write 3,14) a single comma is read as the decimal point.
 */
export function parseNumber(text: string, decimalComma = false): number {
  const n = text.length;
  if (n === 0) return NaN;
  const plain = parsePlainDecimal(text);
  if (plain === plain) return plain;
  const first = text.charCodeAt(0);
  // Fast refusal: a decimal number starts with a digit, a sign, a point or a space.
  if (!isDigit(first) && first !== 45 && first !== 43 && first !== 46 && first !== 32 && first !== 9) return NaN;
  const value = Number(text);
  if (Number.isFinite(value)) {
    if (first === 32 || first === 9) {
      const trimmed = text.trim();
      if (trimmed.length === 0) return NaN; // Number('  ') is 0
      return isRadixLiteral(trimmed) ? NaN : value;
    }
    return isRadixLiteral(text) ? NaN : value;
  }
  if (decimalComma && /^\s*[+-]?\d*,\d+(?:[eE][+-]?\d+)?\s*$/.test(text)) return Number(text.replace(',', '.'));
  return NaN;
}

/** 10⁰ … 10¹⁵, all exact in float64. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * The fast path of parseNumber for the common cell: an optional sign, digits, at most one point,
 * at most 15 digits (`-12.375`). The digits form an integer below 2⁵³ and 10^k is exact, so one
 * IEEE division gives the correctly rounded value — exactly what Number() returns — at a
 * fraction of its cost on a million-row file. Anything else: NaN (the caller takes the slow path).
 */
function parsePlainDecimal(text: string): number {
  const n = text.length;
  let i = 0;
  let sign = 1;
  const c0 = text.charCodeAt(0);
  if (c0 === 45) { sign = -1; i = 1; } else if (c0 === 43) i = 1;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && decimals < 0) decimals = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  return sign * (decimals > 0 ? mantissa / POWERS_OF_TEN[decimals] : mantissa);
}

/** 0x1F, 0b101, 0o17: numbers to JavaScript, identifiers to a table. */
function isRadixLiteral(text: string): boolean {
  if (text.length < 3 || text.charCodeAt(0) !== 48) return false;
  const c = text.charCodeAt(1) | 0x20; // lower-case
  return c === 120 || c === 98 || c === 111; // x b o
}

/**
 * The shortest decimal spelling that reads back as the same float32: `5.1`, not
 * `5.099999904632568`. Numbers are stored as float32 (4 bytes each), so this is how a number
 * turned into a category label (a column treated as categorical) keeps the spelling it had.
 */
export function formatFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 2 ** 24) return String(value);
  const target = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = Number(value.toPrecision(digits));
    if (Math.fround(text) === target) return String(text);
  }
  return String(value);
}

/** Compares labels the way a person sorts them: numbers by value ("2" before "10"), text naturally. */
export function naturalCompare(a: string, b: string): number {
  const x = parseNumber(a);
  const y = parseNumber(b);
  const xNum = !Number.isNaN(x);
  const yNum = !Number.isNaN(y);
  if (xNum && yNum) return x - y || (a < b ? -1 : a > b ? 1 : 0);
  if (xNum !== yNum) return xNum ? -1 : 1;
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant' });
}
