import { describe, expect, it } from 'vitest';
import { csvField, predictionsCsv } from '../../renderer/src/lib/csv.js';

describe('the predictions CSV', () => {
  it('quotes fields that need it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(null)).toBe('');
  });

  it('appends the prediction and each class probability (both for a single sigmoid output)', () => {
    const text = predictionsCsv(['x', 'note'], [['1', 'a, b'], ['2', '']], ['yes', 'no'], Float32Array.of(0.75, 0.25), ['no', 'yes']);
    expect(text).toBe('x,note,prediction,p(no),p(yes)\n1,"a, b",yes,0.25,0.75\n2,,no,0.75,0.25\n');
  });

  it('for regression appends the value only', () => {
    expect(predictionsCsv(['x'], [['3']], [6.5], Float32Array.of(6.5))).toBe('x,prediction\n3,6.5\n');
  });
});
