#!/usr/bin/env python3
"""The studio's Fashion-MNIST recipes trained by PyTorch on this machine, for the notes' "PyTorch on
the same recipe" rows: same layers (the CLI's --layers grammar), optimizer, learning rate, batch and
epochs; pixels / 255 then standardised by the training set's mean and deviation, as the studio does.
Prints one JSON line per epoch (test accuracy on t10k, seconds so far) and a final summary.

    /usr/bin/python3 build/bench/torch-fashion-mnist.py \
        --layers "conv:32x3:relu,maxpool:2,conv:64x3:relu,maxpool:2,dense:128:relu" --epochs 10
"""
import argparse, gzip, json, math, os, struct, time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack('>' + 'I' * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


ACTIVATIONS = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'elu': nn.ELU,
               'selu': nn.SELU, 'leaky-relu': nn.LeakyReLU, 'softplus': nn.Softplus}


def build(layers, shape, classes):
    """nn.Sequential for the --layers grammar (the subset the recipes use)."""
    mods, (c, h, w), flat = [], shape, None
    for item in [s for s in layers.split(',') if s]:
        parts = item.split(':')
        kind = parts[0]
        if kind == 'conv':
            spec, rest = parts[1], parts[2:]
            filters, k = spec.split('x')
            k, stride = (k.split('/') + ['1'])[:2]
            filters, k, stride = int(filters), int(k), int(stride)
            pad = k // 2 if 'same' in rest else 0
            mods.append(nn.Conv2d(c, filters, k, stride, pad))
            c, h, w = filters, (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1
            acts = [r for r in rest if r in ACTIVATIONS]
            if acts: mods.append(ACTIVATIONS[acts[0]]())
        elif kind in ('maxpool', 'avgpool'):
            size, stride = (parts[1].split('/') + [parts[1]])[:2]
            size, stride = int(size), int(stride)
            mods.append((nn.MaxPool2d if kind == 'maxpool' else nn.AvgPool2d)(size, stride))
            h, w = (h - size) // stride + 1, (w - size) // stride + 1
        elif kind == 'batchnorm':
            mods.append(nn.BatchNorm1d(flat) if flat is not None else nn.BatchNorm2d(c))
        elif kind == 'dropout':
            mods.append(nn.Dropout(float(parts[1])))
        elif kind == 'act':
            mods.append(ACTIVATIONS[parts[1]]())
        elif kind == 'globalavgpool':
            mods += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
            flat = c
        elif kind == 'flatten':
            mods.append(nn.Flatten()); flat = c * h * w
        else:  # dense: "64:relu" or "dense:64:relu"
            if kind == 'dense': parts = parts[1:]
            if flat is None:
                mods.append(nn.Flatten()); flat = c * h * w
            units = int(parts[0])
            mods.append(nn.Linear(flat, units)); flat = units
            act = parts[1] if len(parts) > 1 else 'relu'
            if act in ACTIVATIONS: mods.append(ACTIVATIONS[act]())
    if flat is None:
        mods.append(nn.Flatten()); flat = c * h * w
    mods.append(nn.Linear(flat, classes))
    return nn.Sequential(*mods)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--data', default='/usr/share/datasets/fashion-mnist')
    p.add_argument('--layers', required=True)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--schedule', choices=['constant', 'cosine'], default='constant',
                   help="cosine: lr·½(1 + cos(π·epoch/epochs)) per epoch, as the studio's cosine schedule with minLr 0")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    load = lambda name: read_idx(os.path.join(a.data, name))
    xtr = load('train-images-idx3-ubyte.gz').astype(np.float32) / 255
    ytr = load('train-labels-idx1-ubyte.gz').astype(np.int64)
    xte = load('t10k-images-idx3-ubyte.gz').astype(np.float32) / 255
    yte = load('t10k-labels-idx1-ubyte.gz').astype(np.int64)
    mean, sd = xtr.mean(), xtr.std()
    xtr, xte = (xtr - mean) / sd, (xte - mean) / sd
    xtr, xte = torch.from_numpy(xtr[:, None]), torch.from_numpy(xte[:, None])
    ytr, yte = torch.from_numpy(ytr), torch.from_numpy(yte)
    net = build(a.layers, (1, 28, 28), 10)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    start = time.perf_counter()
    best = 0.0
    for epoch in range(1, a.epochs + 1):
        if a.schedule == 'cosine':
            for g in opt.param_groups: g['lr'] = 0.5 * a.lr * (1 + math.cos(math.pi * (epoch - 1) / a.epochs))
        net.train()
        order = torch.randperm(len(xtr))
        for i in range(0, len(xtr), a.batch):
            idx = order[i:i + a.batch]
            opt.zero_grad()
            loss_fn(net(xtr[idx]), ytr[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            correct = sum(int((net(xte[i:i + 1000]).argmax(1) == yte[i:i + 1000]).sum()) for i in range(0, len(xte), 1000))
        acc = correct / len(xte)
        best = max(best, acc)
        print(json.dumps({'epoch': epoch, 'test_accuracy': acc, 'seconds': round(time.perf_counter() - start, 1)}), flush=True)
    print(json.dumps({'type': 'done', 'layers': a.layers, 'schedule': a.schedule, 'epochs': a.epochs, 'final_test_accuracy': acc,
                      'best_test_accuracy': best, 'seconds': round(time.perf_counter() - start, 1),
                      'threads': torch.get_num_threads(), 'load': os.getloadavg()[0]}), flush=True)


if __name__ == '__main__':
    main()
