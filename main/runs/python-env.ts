/**
 * Which Python runs PyTorch jobs on this machine, and what it has: the interpreter the settings
 * name (NN_STUDIO_PYTHON, else Debian's /usr/bin/python3, else python3 on the PATH), its PyTorch
 * and NumPy versions and whether CUDA is there — or, when something is missing, a sentence saying
 * what and how to get it.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface PythonEnv {
  /** The interpreter asked. */
  python: string;
  /** Its version ('3.11.2'), or null when it could not be run. */
  version: string | null;
  torch: string | null;
  numpy: string | null;
  /** PyTorch sees a CUDA device. */
  cuda: boolean;
  /** What is missing for PyTorch jobs, as a sentence; null when they can run. */
  missing: string | null;
  /** The same as a list a user interface can phrase: 'python' (none runs), 'torch', 'numpy'. */
  lacks: ('python' | 'torch' | 'numpy')[];
}

/** The interpreter to use when the settings name none. */
export function defaultPython(): string {
  const named = process.env.NN_STUDIO_PYTHON;
  if (named) return named;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

const PROBE = [
  'import json, sys',
  'info = {"version": sys.version.split()[0], "torch": None, "numpy": None, "cuda": False}',
  'try:\n    import numpy\n    info["numpy"] = numpy.__version__\nexcept Exception:\n    pass',
  'try:\n    import torch\n    info["torch"] = torch.__version__\n    info["cuda"] = bool(torch.cuda.is_available())\nexcept Exception:\n    pass',
  'print(json.dumps(info))',
].join('\n');

/** Asks `python` what it has (a few seconds at most: importing torch is slow on a busy machine). */
export function detectPython(python = defaultPython(), timeoutMs = 60_000): Promise<PythonEnv> {
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE], { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout) => {
      const none: PythonEnv = { python, version: null, torch: null, numpy: null, cuda: false, missing: null, lacks: ['python'] };
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        resolve({ ...none, missing: code === 'ENOENT' ? `no Python at ${python}; install Python 3 with PyTorch (Debian: apt-get install python3-torch) or name the interpreter in the settings` : `${python} could not be run (${error.message.split('\n')[0]})` });
        return;
      }
      let info: { version: string; torch: string | null; numpy: string | null; cuda: boolean };
      try {
        info = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        resolve({ ...none, missing: `${python} did not answer like Python 3` });
        return;
      }
      const lacks = [info.torch ? null : 'torch', info.numpy ? null : 'numpy'].filter((l): l is 'torch' | 'numpy' => l !== null);
      const names = lacks.map((l) => (l === 'torch' ? 'PyTorch' : 'NumPy'));
      resolve({
        python, version: info.version, torch: info.torch, numpy: info.numpy, cuda: info.cuda, lacks,
        missing: lacks.length ? `${python} (Python ${info.version}) has no ${names.join(' and no ')}; install them (Debian: apt-get install python3-torch python3-numpy; else pip install torch numpy)` : null,
      });
    });
  });
}
