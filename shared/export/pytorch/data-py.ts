/** data.py of the PyTorch job: the project's dataset read and preprocessed as the studio does. Static: everything project-specific is in job.json. */
export const DATA_PY = String.raw`"""The project's dataset, read as NN Studio reads it and preprocessed with the project's fitted
state, so every row is numerically the studio's own.

    splits = load(job)                      # the file the project names
    splits = load(job, data="/scratch/x")   # the cluster's copy of the same file
    x, y = splits["train"]                  # float32 [n, inputs] and the network's targets

The rows of each split are the studio's (split.npz: the row numbers of train, validation and test,
as the studio split them with its seed). Tables (CSV, TSV and other delimited text, JSON) and IDX
files are read here; datasets that need decoding the studio does (image folders and zips, built-in
samples) come as prepared.npz, the inputs and targets exactly as the studio prepared them.
"""
import csv
import gzip
import io
import json
import os

import numpy as np

from studio_model import _format_float32, _read_cell, encode

HERE = os.path.dirname(os.path.abspath(__file__))
SPLITS = ("train", "validation", "test")


class DataError(ValueError):
    """A dataset that cannot be read as the project's: the message names the file and what was expected."""


def _decode(raw, path):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _is_comment(line, seen_data):
    """The studio's rule: '#' then a blank, '#', '!' or the line's end — or any '#' line before the data."""
    if not line.startswith("#"):
        return False
    return not seen_data or len(line) == 1 or line[1] in " \t#!\r\n"


def _delimited_rows(path, delimiter, header):
    with open(path, "rb") as f:
        text = _decode(f.read(), path)
    lines, seen = [], False
    for line in text.splitlines(keepends=True):
        if _is_comment(line, seen):
            continue
        if line.strip():
            seen = True
        lines.append(line)
    rows = [r for r in csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)
            if not (len(r) == 0 or (len(r) == 1 and r[0].strip() == ""))]
    if header:
        if not rows:
            raise DataError("%s: expected a header row and rows of data, found an empty file" % path)
        return [c.strip() for c in rows[0]], rows[1:]
    width = max((len(r) for r in rows), default=0)
    return ["col%d" % (i + 1) for i in range(width)], rows


def _json_rows(path, header):
    with open(path, "rb") as f:
        items = json.loads(_decode(f.read(), path))
    if not isinstance(items, list):
        raise DataError("%s: expected a JSON array of objects or of arrays" % path)
    if items and all(isinstance(i, dict) for i in items):
        columns = []
        for item in items:
            columns += [k for k in item if k not in columns]
        return columns, [[item.get(c) for c in columns] for item in items]
    if header:
        return [str(c) for c in items[0]], items[1:]
    width = max((len(r) for r in items), default=0)
    return ["col%d" % (i + 1) for i in range(width)], items


def _table(job, path):
    d = job["data"]
    if d["format"] == "json":
        columns, rows = _json_rows(path, d.get("header", True))
    else:
        columns, rows = _delimited_rows(path, d.get("delimiter", ","), d.get("header", True))
    state = job["preprocessing"]
    missing = [c for c in state["columns"] + [state["target"]["column"]] if c not in columns]
    if missing:
        raise DataError("%s: no column %s (the project's columns: %s)" % (path, ", ".join(repr(m) for m in missing), ", ".join(columns)))
    return columns, rows


def _target(job, columns, rows, index, path):
    """The target of each chosen row: a class index (classification) or the value (regression)."""
    state = job["preprocessing"]
    target = state["target"]
    j = columns.index(target["column"])
    out = []
    classes = {c: i for i, c in enumerate(target.get("classes") or [])}
    for r in index:
        row = rows[r]
        cell = _read_cell(row[j] if j < len(row) else None, r + 1, target["column"])
        if target["task"] == "classification":
            label = _format_float32(cell) if isinstance(cell, float) else cell
            if label not in classes:
                raise DataError("%s, row %d, column %r: expected one of the classes %s, found %r" % (path, r + 1, target["column"], ", ".join(classes), label))
            out.append(classes[label])
        else:
            if not isinstance(cell, float):
                raise DataError("%s, row %d, column %r: expected a number, found %r" % (path, r + 1, target["column"], cell))
            out.append(cell)
    return np.asarray(out, dtype=np.int64 if target["task"] == "classification" else np.float32)


def _idx_array(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 8:
        raise DataError("%s: expected an IDX file of unsigned bytes (magic 0x0000 08 nn)" % path)
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims, count=int(np.prod(shape))).reshape(shape)


def _idx_files(source):
    """{train,test}: (images, labels) paths, from a folder of the usual four files or 'a + b' paths."""
    paths = []
    for part in source.split(" + "):
        part = part.strip()
        if os.path.isdir(part):
            paths += [os.path.join(part, n) for n in sorted(os.listdir(part))]
        else:
            paths.append(part)
    found = {}
    for p in paths:
        name = os.path.basename(p).lower()
        which = "test" if ("t10k" in name or "test" in name) else "train"
        kind = "labels" if "label" in name else "images"
        found[(which, kind)] = p
    if ("train", "images") not in found or ("train", "labels") not in found:
        raise DataError("%s: expected IDX images and labels files (train-images…, train-labels…)" % source)
    return found


def _idx_splits(job, source, split):
    state = job["preprocessing"]
    files = _idx_files(source)
    sets = {}
    for which in ("train", "test"):
        if (which, "images") in files:
            images = _idx_array(files[(which, "images")])
            labels = _idx_array(files[(which, "labels")])
            sets[which] = (images.reshape(images.shape[0], -1), labels.astype(np.int64))
    out = {}
    for name in SPLITS:
        index = split[name]
        pixels, labels = sets["test"] if name == "test" and "test" in sets and job["data"].get("ownTest") else sets["train"]
        out[name] = (encode(pixels[index]), labels[index])
    if state["inputSize"] != out["train"][0].shape[1]:
        raise DataError("%s: images of %d pixels, the project's have %d" % (source, out["train"][0].shape[1], state["inputSize"]))
    return out


def _targets(job, y):
    """Class indices -> the network's target rows: one-hot for K outputs, one 0/1 column for one unit."""
    outputs = job["outputs"]
    if job["task"] == "regression":
        return y.astype(np.float32).reshape(-1, outputs)
    if outputs == 1:
        return y.astype(np.float32).reshape(-1, 1)
    onehot = np.zeros((len(y), outputs), dtype=np.float32)
    onehot[np.arange(len(y)), y] = 1
    return onehot


def raw_splits(job, data=None, folder=HERE):
    """{split: (x float32 [n, inputs], y class indices or values)} as the studio prepared them."""
    d = job["data"]
    if d["kind"] == "prepared":
        with np.load(os.path.join(folder, d["file"])) as p:
            return {s: (p["x_" + s], p["y_" + s]) for s in SPLITS}
    with np.load(os.path.join(folder, "split.npz")) as s:
        split = {name: s[name].astype(np.int64) for name in SPLITS}
    source = data or d["source"]
    if d["kind"] == "idx":
        return _idx_splits(job, source, split)
    columns, rows = _table(job, source)
    state = job["preprocessing"]
    order = [columns.index(c) for c in state["columns"]]
    out = {}
    for name in SPLITS:
        index = split[name]
        if len(index) and index.max() >= len(rows):
            raise DataError("%s: the project's split names row %d, but the file has %d rows (is it the same file?)" % (source, index.max() + 1, len(rows)))
        chosen = [[rows[r][k] if k < len(rows[r]) else None for k in order] for r in index]
        x = encode(chosen) if chosen else np.zeros((0, state["inputSize"]), dtype=np.float32)
        out[name] = (x, _target(job, columns, rows, index, source))
    return out


def load(job, data=None, folder=HERE):
    """{split: (x float32 [n, inputs], targets float32 [n, outputs])}: the network's inputs and targets."""
    return {name: (x.astype(np.float32), _targets(job, y)) for name, (x, y) in raw_splits(job, data, folder).items()}
`;
