import { describe, expect, it } from 'vitest';
import { float32Text, formatBytes, formatDuration, formatNumber, formatPercent, formatRate, parseNumberInput } from '../../renderer/src/lib/format.js';

describe('number formatting', () => {
  it('shows significant digits without trailing zeros, exponents for extremes', () => {
    expect(formatNumber(0.0104100001)).toBe('0.01041');
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(1.5e-7, 3)).toBe('1.5e-7');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('formats percentages, rates, sizes and durations', () => {
    expect(formatPercent(0.9512)).toBe('95.1%');
    expect(formatRate(151_800)).toBe('151.8k');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatDuration(3.14)).toBe('3.1 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(185)).toBe('3:05');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(null)).toBe('—');
  });

  it('reads what a person types: empty is "default", a decimal comma is accepted, junk is NaN', () => {
    expect(parseNumberInput('  ')).toBeNull();
    expect(parseNumberInput('0,01')).toBe(0.01);
    expect(parseNumberInput('1e-3')).toBe(0.001);
    expect(parseNumberInput('abc')).toBeNaN();
  });
});

describe('float32 values as a person typed them', () => {
  it('spells a float32 cell in its shortest decimal: 5.1, not 5.099999904632568', () => {
    const stored = new Float32Array([5.1, 0.2, 1e-7, 123456.7, -3]);
    expect(String(stored[0])).toBe('5.099999904632568'); // what the form showed
    expect([...stored].map(float32Text)).toEqual(['5.1', '0.2', '1e-7', '123456.7', '-3']);
  });
});
