/** model.py of the PyTorch job: the project's network as an nn.Module in the studio's layouts. Static: everything project-specific is in job.json. */
export const MODEL_PY = String.raw`"""The project's network as a PyTorch module, layer for layer as NN Studio's engine computes it.

Layouts are the studio's: images are [C, H, W] (channel-major), a dense layer reads an image
flattened in C, H, W order, convolution kernels are [out, in, k, k]. The studio's weights file
(weights.npz / initial.npz: flat = every parameter then every state value, in the engine's
layout) loads with load_flat and comes back out with flat_weights.
"""
import json
import math
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


def _softplus(z):
    # ln(1 + e^z) without overflow, as the studio computes it (torch's softplus turns linear past 20).
    return torch.clamp(z, min=0) + torch.log1p(torch.exp(-torch.abs(z)))


ACTIVATIONS = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky-relu": lambda z: F.leaky_relu(z, LEAKY_SLOPE),
    "elu": lambda z: F.elu(z, ELU_ALPHA),
    "selu": lambda z: SELU_LAMBDA * torch.where(z > 0, z, SELU_ALPHA * torch.expm1(torch.clamp(z, max=0))),
    "softplus": _softplus,
    "softmax": lambda z: torch.softmax(z, dim=1),
}


def load_job(folder=HERE):
    with open(os.path.join(folder, "job.json"), encoding="utf-8") as f:
        return json.load(f)


def _same_padding(size, kernel, stride):
    """TF/ONNX SAME_UPPER: the output is ceil(size / stride); the odd pixel of padding goes after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    def __init__(self, spec, shape):
        super().__init__()
        channels, height, width = shape
        k, s = spec["kernel"], spec.get("stride", 1)
        self.stride = s
        self.weight = nn.Parameter(torch.zeros(spec["filters"], channels, k, k))
        self.bias = nn.Parameter(torch.zeros(spec["filters"])) if spec.get("bias", True) else None
        self.activation = spec.get("activation", "identity")
        if spec.get("padding", "valid") == "same":
            top, bottom = _same_padding(height, k, s)
            left, right = _same_padding(width, k, s)
            self.pads = (left, right, top, bottom)
        else:
            self.pads = None

    def forward(self, x, pre=False):
        if self.pads is not None:
            x = F.pad(x, self.pads)
        z = F.conv2d(x, self.weight, self.bias, stride=self.stride)
        return z if pre else ACTIVATIONS[self.activation](z)


class Dense(nn.Module):
    """z = x.W + b with W [inputs x units], the studio's orientation (nn.Linear keeps W transposed)."""

    def __init__(self, spec, inputs):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(inputs, spec["units"]))
        self.bias = nn.Parameter(torch.zeros(spec["units"])) if spec.get("bias", True) else None
        self.activation = spec["activation"]

    def forward(self, x, pre=False):
        x = x.reshape(x.shape[0], -1)
        z = x @ self.weight
        if self.bias is not None:
            z = z + self.bias
        return z if pre else ACTIVATIONS[self.activation](z)


class Pool(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.kind, self.size = spec["type"], spec["size"]
        self.stride = spec.get("stride") or spec["size"]

    def forward(self, x, pre=False):
        if self.kind == "maxpool2d":
            return F.max_pool2d(x, self.size, self.stride)
        return F.avg_pool2d(x, self.size, self.stride)


class BatchNorm(nn.Module):
    """The studio's momentum is the weight of the old running value (PyTorch's is 1 minus it)."""

    def __init__(self, spec, shape):
        super().__init__()
        channels = shape[0]
        self.image = len(shape) == 3
        self.norm = nn.BatchNorm2d(channels, eps=spec.get("eps", 1e-5), momentum=1 - spec.get("momentum", 0.9)) if self.image \
            else nn.BatchNorm1d(channels, eps=spec.get("eps", 1e-5), momentum=1 - spec.get("momentum", 0.9))

    def forward(self, x, pre=False):
        return self.norm(x)


class Lambda(nn.Module):
    def __init__(self, spec):
        super().__init__()
        self.spec = spec

    def forward(self, x, pre=False):
        kind = self.spec["type"]
        if kind == "globalavgpool":
            return x.mean(dim=(2, 3))
        if kind == "flatten":
            return x.reshape(x.shape[0], -1)
        if kind == "dropout":
            # Inverted dropout, as the studio's: zero with probability rate, scale the rest by 1/(1 - rate).
            return F.dropout(x, self.spec["rate"], self.training)
        return x if pre else ACTIVATIONS[self.spec["activation"]](x)


def output_shapes(spec):
    """Every layer's output shape from the input shape (the studio's inferShapes)."""
    shape = list(spec["input"])
    shapes = []
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "dense":
            shape = [layer["units"]]
        elif kind == "conv2d":
            c, h, w = shape
            k, s = layer["kernel"], layer.get("stride", 1)
            if layer.get("padding", "valid") == "same":
                shape = [layer["filters"], -(-h // s), -(-w // s)]
            else:
                shape = [layer["filters"], (h - k) // s + 1, (w - k) // s + 1]
        elif kind in ("maxpool2d", "avgpool2d"):
            c, h, w = shape
            size, s = layer["size"], layer.get("stride") or layer["size"]
            shape = [c, (h - size) // s + 1, (w - size) // s + 1]
        elif kind == "globalavgpool":
            shape = [shape[0]]
        elif kind == "flatten":
            shape = [int(np.prod(shape))]
        shapes.append(list(shape))
    return shapes


class StudioNet(nn.Module):
    """The spec's layers in order. forward(x, logits=True) leaves out the output layer's activation."""

    def __init__(self, spec):
        super().__init__()
        self.spec = spec
        self.input_shape = tuple(spec["input"])
        shapes = output_shapes(spec)
        layers = []
        for i, layer in enumerate(spec["layers"]):
            shape = list(spec["input"]) if i == 0 else shapes[i - 1]
            kind = layer["type"]
            if kind == "dense":
                layers.append(Dense(layer, int(np.prod(shape))))
            elif kind == "conv2d":
                layers.append(Conv(layer, shape))
            elif kind in ("maxpool2d", "avgpool2d"):
                layers.append(Pool(layer))
            elif kind == "batchnorm":
                layers.append(BatchNorm(layer, shape))
            else:
                layers.append(Lambda(layer))
        self.layers = nn.ModuleList(layers)
        last = spec["layers"][-1]
        self.output_activation = last.get("activation", "identity") if last["type"] in ("dense", "conv2d", "activation") else "identity"

    def forward(self, x, logits=False):
        x = x.reshape((x.shape[0],) + self.input_shape)
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = layer(x, pre=logits and i == last)
        return x

    # -- the studio's flat layout: parameters layer by layer (dense W, b; conv W, b; batchnorm
    #    gamma, beta), then state (batchnorm running mean, running variance) layer by layer.

    def _tensors(self):
        params, state = [], []
        for layer in self.layers:
            if isinstance(layer, (Dense, Conv)):
                params.append(layer.weight)
                if layer.bias is not None:
                    params.append(layer.bias)
            elif isinstance(layer, BatchNorm):
                params += [layer.norm.weight, layer.norm.bias]
                state += [layer.norm.running_mean, layer.norm.running_var]
        return params, state

    def parameter_list(self):
        """The trainable tensors in the studio's order (the optimizer's flat view follows it)."""
        return self._tensors()[0]

    def decayed_list(self):
        """What AdamW's weight decay shrinks, as the studio does: dense and convolution weights, not biases or batch norm's scale and shift."""
        return [layer.weight for layer in self.layers if isinstance(layer, (Dense, Conv))]

    def load_flat(self, flat):
        params, state = self._tensors()
        flat = np.asarray(flat, dtype=np.float32).ravel()
        expected = sum(t.numel() for t in params + state)
        if flat.size != expected:
            raise ValueError("the weights hold %d numbers but this network has %d parameters and state values" % (flat.size, expected))
        at = 0
        with torch.no_grad():
            for t in params + state:
                n = t.numel()
                t.copy_(torch.from_numpy(flat[at:at + n].reshape(tuple(t.shape))).to(t.dtype))
                at += n

    def flat_weights(self):
        params, state = self._tensors()
        return np.concatenate([t.detach().cpu().double().numpy().ravel() for t in params + state]).astype(np.float32)


def build(job=None, weights="initial.npz", folder=HERE):
    """The job's network with the weights of weights (an .npz holding flat) loaded."""
    job = job or load_job(folder)
    net = StudioNet(job["spec"])
    path = weights if os.path.isabs(weights) else os.path.join(folder, weights)
    with np.load(path) as archive:
        net.load_flat(archive["flat"])
    return net
`;
