#!/usr/bin/python3
"""NN Studio's defaults against scikit-learn on the same rows (issue 16, items 1-5).

For scikit-learn's bundled iris, wine, breast cancer, digits and diabetes sets, written out as CSVs:
`nn-studio train` with its defaults on 5 training seeds (the split has its own fixed seed, so all
five see the same test rows), diabetes also with `--layers ''` and `--optimizer sgd`; scikit-learn
on exactly those rows (train + validation to fit, test to score; scaler fitted on the training
rows): MLPClassifier / LogisticRegression for classes, RidgeCV for diabetes. Then `--folds 5`
mean +- sd beside cross_val_score (5 stratified folds, StandardScaler + the same peers).
Optionally (--fashion DIR) Fashion-MNIST 256-128 Adam 12 epochs on t10k.

Run from the repository:  /usr/bin/python3 build/bench/defaults-vs-sklearn.py [--seeds 5] [--fashion DIR]
Prints a Markdown table. Timings are not its business.
"""
import argparse, json, os, subprocess, sys, tempfile
import numpy as np
from sklearn import datasets
from sklearn.linear_model import LogisticRegression, RidgeCV
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import StratifiedKFold, KFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CLI = [ 'node', os.path.join(ROOT, 'main', 'cli', 'bin.cjs') ]
SETS = ['iris', 'wine', 'breast_cancer', 'digits', 'diabetes']


def write_csv(name, folder):
    d = getattr(datasets, 'load_' + name)()
    path = os.path.join(folder, name + '.csv')
    regression = name == 'diabetes'
    with open(path, 'w') as f:
        f.write(','.join([f'f{i}' for i in range(d.data.shape[1])] + ['target']) + '\n')
        for row, t in zip(d.data, d.target):
            f.write(','.join(repr(float(v)) for v in row) + ',' + (repr(float(t)) if regression else f'c{int(t)}') + '\n')
    return path, d.data, d.target, regression


def split_rows(tool, path, folds=None, fold=None):
    args = ['node', tool, path] + ([] if folds is None else ['42', str(folds), str(fold)])
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def studio(path, *flags):
    """The test metrics of one `nn-studio train --json` run (None when it failed, e.g. diverged)."""
    run = subprocess.run(CLI + ['train', path, '--json', *flags], capture_output=True, text=True)
    lines = [json.loads(l) for l in run.stdout.splitlines() if l.startswith('{')]
    if run.returncode != 0 or not lines:
        return None, run.stderr.strip().splitlines()[-1:] or ['failed']
    return lines, None


def test_score(done, regression):
    m = done['metrics']['test']
    return m['r2'] if regression else m['accuracy']


def fmt(values):
    v = np.array(values, dtype=float)
    return f'{v.mean():.3f} ± {v.std():.3f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seeds', type=int, default=5)
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--fashion', help='Fashion-MNIST IDX folder (heavy: run once, on a quiet machine)')
    ap.add_argument('--only', help='comma-separated datasets')
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix='nn-defaults-')
    tool = os.path.join(folder, 'split-rows.mjs')
    subprocess.run(['npx', 'esbuild', os.path.join(ROOT, 'build', 'bench', 'split-rows.ts'), '--bundle', '--platform=node',
                    '--format=esm', '--packages=external', f'--outfile={tool}', '--log-level=warning'], check=True, cwd=ROOT)
    # The bundle resolves its packages from the repository.
    os.symlink(os.path.join(ROOT, 'node_modules'), os.path.join(folder, 'node_modules'))
    sets = args.only.split(',') if args.only else SETS
    rows = []
    print('| dataset | NN Studio settings | NN Studio test (5 seeds, mean ± sd; min) | diverged | scikit-learn on the same rows |')
    print('|---|---|---|---|---|')
    cv_rows = []
    for name in sets:
        path, X, y, regression = write_csv(name, folder)
        split = split_rows(tool, path)
        fit = np.array(split['train'] + split['validation'])
        test = np.array(split['test'])
        scaler = StandardScaler().fit(X[np.array(split['train'])])
        Xf, Xt = scaler.transform(X[fit]), scaler.transform(X[test])
        if regression:
            peer = RidgeCV(alphas=np.logspace(-3, 3, 13)).fit(Xf, y[fit])
            peers = f'RidgeCV R² {r2_score(y[test], peer.predict(Xt)):.3f}'
        else:
            mlp = [accuracy_score(y[test], MLPClassifier(max_iter=1000, random_state=s).fit(Xf, y[fit]).predict(Xt)) for s in range(1, args.seeds + 1)]
            lr = accuracy_score(y[test], LogisticRegression(max_iter=5000).fit(Xf, y[fit]).predict(Xt))
            peers = f'MLPClassifier acc {fmt(mlp)}; LogisticRegression acc {lr:.3f}'
        variants = [('defaults', [])] + ([('--layers \'\'', ['--layers', '']), ('--optimizer sgd', ['--optimizer', 'sgd'])] if regression else [])
        for label, flags in variants:
            scores, failures = [], 0
            for seed in range(1, args.seeds + 1):
                lines, err = studio(path, '--seed', str(seed), *flags)
                if lines is None:
                    failures += 1
                    print(f'  {name} {label} seed {seed}: {err[0]}', file=sys.stderr)
                    continue
                scores.append(test_score(lines[-1], regression))
            shown = f'{"R²" if regression else "acc"} {fmt(scores)}; min {min(scores):.3f}' if scores else 'none'
            print(f'| {name} ({len(test)} test rows) | {label} | {shown} | {failures}/{args.seeds} | {peers} |', flush=True)
        # k-fold: the studio's --folds beside cross_val_score on all rows.
        lines, err = studio(path, '--folds', str(args.folds))
        key = 'r2' if regression else 'accuracy'
        ours = lines[-1]['metrics'][key] if lines else None
        cv = (KFold(args.folds, shuffle=True, random_state=0) if regression else StratifiedKFold(args.folds, shuffle=True, random_state=0))
        model = RidgeCV(alphas=np.logspace(-3, 3, 13)) if regression else MLPClassifier(max_iter=1000, random_state=1)
        theirs = cross_val_score(make_pipeline(StandardScaler(), model), X, y, cv=cv, scoring='r2' if regression else 'accuracy')
        cv_rows.append((name, key, f'{ours["mean"]:.3f} ± {ours["sd"]:.3f}' if ours else f'failed: {err}', fmt(theirs),
                        'RidgeCV' if regression else 'MLPClassifier'))
    print()
    print(f'| dataset | metric | NN Studio --folds {args.folds} (mean ± sd) | scikit-learn cross_val_score (mean ± sd) | peer |')
    print('|---|---|---|---|---|')
    for r in cv_rows:
        print('| ' + ' | '.join(r) + ' |')
    if args.fashion:
        lines, err = studio(args.fashion, '--layers', '256,128', '--optimizer', 'adam', '--epochs', '12')
        if lines:
            done = lines[-1]
            print(f'\nFashion-MNIST 256-128 Adam 12 epochs, defaults otherwise: t10k accuracy {done["metrics"]["test"]["accuracy"]:.4f} '
                  f'(best epoch {done["best_epoch"]} kept: {done["kept_best"]}; rows {done["rows"]})')
        else:
            print(f'\nFashion-MNIST failed: {err}')


if __name__ == '__main__':
    main()
