import { describe, expect, it } from 'vitest';
import { parseSize } from '../../main/cli/commands/serve.js';
import { nnStudio } from '../cli/run.js';

describe('nn-studio serve flags', () => {
  it('a missing --root or a malformed --max-upload is one line on stderr and exit 2', () => {
    const root = nnStudio(['serve', '--port', '0', '--root', '/no/such/folder']);
    expect(root.code).toBe(2);
    expect(root.stderr.trim()).toBe('nn-studio serve: --root expects a folder, and /no/such/folder is not one');
    const size = nnStudio(['serve', '--port', '0', '--max-upload', 'lots']);
    expect(size.code).toBe(2);
    expect(size.stderr.trim().split('\n')).toHaveLength(1);
    expect(size.stderr).toContain("--max-upload expects a size such as 500M or 4G, got 'lots'");
  });

  it('reads sizes in bytes, K, M, G', () => {
    expect(parseSize('1048576')).toBe(1048576);
    expect(parseSize('500M')).toBe(500 * 1024 ** 2);
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(() => parseSize('0')).toThrow('--max-upload');
    expect(() => parseSize('-5M')).toThrow('--max-upload');
  });
});
