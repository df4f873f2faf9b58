/** train.py of the PyTorch job: the studio's recipe, on one process or under torchrun (DDP). Static: everything project-specific is in job.json. */
export const TRAIN_PY = String.raw`"""Trains the project's network with NN Studio's recipe (optimizer, schedule, batch size, epochs,
L1/L2, dropout, early stopping, seed), on one process or under torchrun with
DistributedDataParallel. See README.md for the commands.

Writes into --out (rank 0 only): job.json (a copy), history.jsonl (one line per epoch), checkpoint.pt (each epoch;
a new launch resumes from it), weights.npz (the trained weights in the studio's layout) and
result.json (why it ended, and loss and metrics on each split). A file named STOP in --out ends
training after the current batch; while a file named PAUSE is there, training waits.
"""
import argparse
import json
import math
import os
import shutil
import signal
import sys
import time

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data.distributed import DistributedSampler

from data import DataError, load
from model import HERE, StudioNet, load_job

LOG_EPSILON = 1e-7


# ---------------------------------------------------------------------------------------------
# The studio's losses: per row summed over the outputs, averaged over the rows (sse: summed).
# Cross-entropy after softmax (binary after sigmoid) takes the fused gradient (y - t)/B, exactly
# as the studio's backward pass does, through log-softmax / logits.

def studio_loss(name, forward, output_activation, x, t):
    """(the tensor to differentiate, the loss value the studio reports, the outputs) of forward(x)."""
    rows = x.shape[0]
    fused = (name == "categorical-crossentropy" and output_activation == "softmax") or \
            (name == "binary-crossentropy" and output_activation == "sigmoid")
    if fused:
        z = forward(x, logits=True)
        y = torch.softmax(z, dim=1) if output_activation == "softmax" else torch.sigmoid(z)
        if name == "categorical-crossentropy":
            grad_part = -(t * torch.log_softmax(z, dim=1)).sum() / rows
        else:
            grad_part = torch.nn.functional.binary_cross_entropy_with_logits(z, t, reduction="sum") / rows
        value = _loss_value(name, y.detach(), t, rows)
        # The value is the studio's (guarded logarithms); the gradient is the fused one.
        return grad_part - grad_part.detach() + value, value, y
    y = forward(x)
    value = _loss_value(name, y, t, rows)
    return value, value.detach(), y


def _loss_value(name, y, t, rows):
    safe_log = lambda p: torch.log(torch.clamp(p, min=LOG_EPSILON))
    if name == "mse":
        return 0.5 * ((y - t) ** 2).sum() / rows
    if name == "sse":
        return 0.5 * ((y - t) ** 2).sum()
    if name == "mae":
        return (y - t).abs().sum() / rows
    if name == "huber":
        e = (y - t).abs()
        return torch.where(e <= 1, 0.5 * e * e, e - 0.5).sum() / rows
    if name == "binary-crossentropy":
        return -(t * safe_log(y) + (1 - t) * safe_log(1 - y)).sum() / rows
    if name == "categorical-crossentropy":
        return -(t * safe_log(y)).sum() / rows
    raise ValueError("unknown loss %r" % name)


def penalty(net, l1, l2):
    """l1 * sum|w| + l2/2 * sum w^2 over the weights (not biases, not batchnorm), as the studio."""
    total = 0.0
    if l1 == 0 and l2 == 0:
        return total
    for layer in net.layers:
        w = getattr(layer, "weight", None)
        if isinstance(w, torch.nn.Parameter):
            total = total + l1 * w.abs().sum() + 0.5 * l2 * (w * w).sum()
    return total


# ---------------------------------------------------------------------------------------------
# The studio's optimizers (shared/nn/optimizers.ts), one update of every parameter:
#   sgd       w <- w - lr g
#   momentum  v <- mu v - lr g;  w <- w + v
#   nesterov  v <- mu v - lr g;  w <- w + mu v - lr g
#   rmsprop   h <- rho h + (1 - rho) g^2;  w <- w - lr g / (sqrt(h) + eps)
#   adam      m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;  w <- w - lr m^ / (sqrt(v^) + eps)
#   adamw     w <- w (1 - lr wd) for weights (not biases, not batch norm), then the Adam step
# (PyTorch's own SGD keeps the momentum buffer without the learning rate, which differs from these
# as soon as a schedule changes the rate, so the updates are written out here.)

class StudioOptimizer:
    def __init__(self, spec, params, decayed):
        self.name = spec["name"]
        self.params = params
        self.decayed = {id(p) for p in decayed}
        self.mu = spec.get("momentum", 0.9) if spec.get("momentum") is not None else 0.9
        self.rho = spec.get("rho") if spec.get("rho") is not None else 0.9
        self.b1 = spec.get("beta1") if spec.get("beta1") is not None else 0.9
        self.b2 = spec.get("beta2") if spec.get("beta2") is not None else 0.999
        self.eps = spec.get("eps") if spec.get("eps") is not None else 1e-8
        wd = spec.get("weightDecay")
        self.decay = (0.01 if wd is None else wd) if self.name == "adamw" else 0.0
        self.steps = 0
        count = {"sgd": 0, "momentum": 1, "nesterov": 1, "rmsprop": 1, "adam": 2, "adamw": 2}[self.name]
        self.moments = [[torch.zeros_like(p) for p in params] for _ in range(count)]

    @torch.no_grad()
    def step(self, lr):
        self.steps += 1
        t = self.steps
        for i, w in enumerate(self.params):
            g = w.grad
            if self.name == "sgd":
                w.sub_(lr * g)
            elif self.name in ("momentum", "nesterov"):
                v = self.moments[0][i]
                v.mul_(self.mu).sub_(lr * g)
                w.add_(self.mu * v - lr * g if self.name == "nesterov" else v)
            elif self.name == "rmsprop":
                h = self.moments[0][i]
                h.mul_(self.rho).add_((1 - self.rho) * g * g)
                w.sub_(lr * g / (h.sqrt() + self.eps))
            else:
                m, v = self.moments[0][i], self.moments[1][i]
                m.mul_(self.b1).add_((1 - self.b1) * g)
                v.mul_(self.b2).add_((1 - self.b2) * g * g)
                step_size = lr / (1 - self.b1 ** t)
                inv_sqrt_bc2 = 1 / math.sqrt(1 - self.b2 ** t)
                if self.decay and id(w) in self.decayed:
                    w.mul_(1 - lr * self.decay)
                w.sub_(step_size * m / (v.sqrt() * inv_sqrt_bc2 + self.eps))

    def state(self):
        return {"steps": self.steps, "moments": [[m.cpu() for m in group] for group in self.moments]}

    def load(self, state, device):
        self.steps = state["steps"]
        self.moments = [[m.to(device) for m in group] for group in state["moments"]]


def learning_rate_at(schedule, base, epoch, epochs):
    """The studio's schedules (shared/nn/schedule.ts), for a 0-based epoch."""
    name = schedule["name"]
    if name == "constant":
        return base
    if name == "step":
        return base * schedule["factor"] ** (epoch // schedule["every"])
    if name == "exponential":
        return base * schedule["rate"] ** epoch
    if name == "cosine":
        progress = min(epoch / epochs, 1) if epochs > 0 else 0
        min_lr = schedule.get("minLr", 0)
        return min_lr + 0.5 * (base - min_lr) * (1 + math.cos(math.pi * progress))
    raise ValueError("unknown schedule %r" % name)


# ---------------------------------------------------------------------------------------------
# Judging: the studio's evaluate (loss with the weight penalty; accuracy, or MSE/RMSE/MAE/R^2).

def class_of_rows(values):
    return (values[:, 0] >= 0.5).long() if values.shape[1] == 1 else values.argmax(dim=1)


@torch.no_grad()
def evaluate(net, loss_name, x, t, l1, l2, task, chunk=4096):
    net.eval()
    rows = x.shape[0]
    if rows == 0:
        return None
    loss_sum, outs = 0.0, []
    for start in range(0, rows, chunk):
        xb, tb = x[start:start + chunk], t[start:start + chunk]
        _, value, y = studio_loss(loss_name, net, net.output_activation, xb, tb)
        loss_sum += float(value) * (xb.shape[0] if loss_name != "sse" else 1)
        outs.append(y.double())
    y = torch.cat(outs)
    loss = (loss_sum / rows if loss_name != "sse" else loss_sum) + float(penalty(net, l1, l2))
    net.train()
    if task == "classification":
        accuracy = float((class_of_rows(y) == class_of_rows(t.double())).double().mean())
        return {"loss": loss, "metrics": {"kind": "classification", "rows": rows, "accuracy": accuracy}}
    e = y - t.double()
    mse = float((e * e).mean())
    tot = ((t.double() - t.double().mean(dim=0)) ** 2).sum(dim=0)
    res = (e * e).sum(dim=0)
    r2 = torch.where(tot > 0, 1 - res / torch.where(tot > 0, tot, torch.ones_like(tot)), (res == 0).double())
    return {"loss": loss, "metrics": {"kind": "regression", "rows": rows, "mse": mse, "rmse": math.sqrt(mse),
                                      "mae": float(e.abs().mean()), "r2": float(r2.mean())}}


# ---------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description="Train the NN Studio project's network with PyTorch.")
    p.add_argument("--data", help="the dataset file or folder (default: the one the project names)")
    p.add_argument("--out", default=os.path.join(HERE, "run"), help="where to write history, checkpoints and results")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    p.add_argument("--init", default="initial.npz", help="starting weights: initial.npz (the studio's initial weights for the seed), "
                   "weights.npz (continue the studio's run) or another .npz holding 'flat'")
    p.add_argument("--fresh", action="store_true", help="ignore a checkpoint in --out and start over")
    p.add_argument("--epochs", type=int, help="override the recipe's epochs")
    p.add_argument("--iterations", type=int, help="override the recipe's iterations (steps)")
    p.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    p.add_argument("--progress", action="store_true", help="print a JSON line per batch (about 10 a second) for a program watching")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    job = load_job()
    training = job["training"]
    if args.epochs is not None:
        training["epochs"] = args.epochs
    if args.iterations is not None:
        training["iterations"] = args.iterations

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() if args.device == "auto" else args.device == "cuda"
    if cuda and not torch.cuda.is_available():
        sys.exit("--device cuda: this PyTorch sees no CUDA device (torch %s)" % torch.__version__)
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    torch.manual_seed(training["seed"])
    lead = rank == 0
    out = os.path.abspath(args.out)
    if lead:
        os.makedirs(out, exist_ok=True)
        # The result folder carries its job description, so nn-studio import needs nothing else.
        shutil.copyfile(os.path.join(HERE, "job.json"), os.path.join(out, "job.json"))

    try:
        splits = load(job, args.data)
    except (DataError, OSError) as e:
        sys.exit(str(e))
    tensors = {name: (torch.from_numpy(x).to(device, dtype), torch.from_numpy(t).to(device, dtype)) for name, (x, t) in splits.items()}
    x_train, t_train = tensors["train"]
    rows = x_train.shape[0]

    net = StudioNet(job["spec"]).to(device, dtype)
    init = args.init if os.path.isabs(args.init) else os.path.join(HERE, args.init)
    with np.load(init) as archive:
        net.load_flat(archive["flat"])
    params = net.parameter_list()
    model = torch.nn.parallel.DistributedDataParallel(net, device_ids=[local_rank] if cuda else None) if world > 1 else net
    optimizer = StudioOptimizer(training["optimizer"], params, net.decayed_list())

    batch = rows if training["batchSize"] == "full" else min(training["batchSize"], rows)
    batches_per_epoch = math.ceil(rows / batch)
    epochs_cap = training.get("epochs") or math.inf
    iterations = training.get("iterations")
    planned = int(min(epochs_cap, math.ceil(iterations / batches_per_epoch) if iterations else math.inf))
    local_batch = math.ceil(batch / world)
    sampling = training.get("sampling", "shuffle")
    l1, l2 = training.get("l1", 0), training.get("l2", 0)
    loss_name = job["spec"]["loss"]
    task = job["task"]
    has_validation = tensors["validation"][0].shape[0] > 0
    es = training.get("earlyStopping")
    monitor = (es or {}).get("monitor") or ("val_loss" if has_validation else "loss")

    # State that a checkpoint carries.
    start_epoch, iteration, best_value, best_epoch, waited, history = 0, 0, math.inf, 0, 0, []
    best_weights = None
    checkpoint = os.path.join(out, "checkpoint.pt")
    if not args.fresh and os.path.exists(checkpoint):
        c = torch.load(checkpoint, map_location="cpu")
        net.load_flat(c["weights"])
        optimizer.load(c["optimizer"], device)
        start_epoch, iteration, best_value, best_epoch, waited, history = c["epoch"], c["iteration"], c["best_value"], c["best_epoch"], c["waited"], c["history"]
        best_weights = c.get("best_weights")
        torch.set_rng_state(c["rng"])
        if lead:
            print("resuming after epoch %d (iteration %d) from %s" % (start_epoch, iteration, checkpoint), flush=True)
    if lead:
        with open(os.path.join(out, "history.jsonl"), "w", encoding="utf-8") as f:
            for line in history:
                f.write(json.dumps(line) + "\n")

    stop = {"requested": False}
    def on_signal(signum, frame):
        stop["requested"] = True
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stop_file, pause_file = os.path.join(out, "STOP"), os.path.join(out, "PAUSE")

    def agreed(flag):
        """Every rank takes the same decision (rank 0's files and signals count for all)."""
        if world == 1:
            return flag
        v = torch.tensor([1.0 if flag else 0.0], device=device)
        dist.all_reduce(v, op=dist.ReduceOp.MAX)
        return bool(v.item() > 0)

    # Each rank takes its share of every epoch (DistributedSampler: the same permutation on every
    # rank, every world-th row), in batches of its share of the global batch.
    sampler = DistributedSampler(range(rows), num_replicas=world, rank=rank, shuffle=sampling == "shuffle" and batch < rows,
                                 seed=training["seed"], drop_last=False)
    share_rows = len(sampler)
    share_batches = math.ceil(share_rows / local_batch)
    last_report = [0.0]
    def report(line):
        if args.progress and lead:
            print(json.dumps(line), flush=True)
    report({"type": "started", "device": str(device), "world": world, "epochs": planned, "batches": share_batches, "batchSize": batch})
    reason = None
    started = time.time()
    for epoch in range(start_epoch, planned):
        lr = learning_rate_at(training["schedule"], training["optimizer"]["lr"], epoch, planned)
        if sampling == "random" and batch < rows:
            # Batches drawn with replacement (the tutorials' np.random.choice), each rank its own draws.
            generator = torch.Generator().manual_seed((training["seed"] * 1000003 + epoch) * 64 + rank)
            order = torch.randint(rows, (share_batches * local_batch,), generator=generator)
        else:
            sampler.set_epoch(epoch)
            order = torch.tensor(list(sampler), dtype=torch.long)
        epoch_started = time.time()
        sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss * rows, rows, correct
        for b in range(share_batches):
            if iterations is not None and iteration >= iterations:
                break
            if os.path.exists(pause_file):
                report({"type": "paused"})
                paused_at = time.time()
                while os.path.exists(pause_file) and not os.path.exists(stop_file) and not stop["requested"]:
                    time.sleep(0.1)
                epoch_started += time.time() - paused_at
                report({"type": "resumed", "learningRate": lr})
            if agreed(stop["requested"] or os.path.exists(stop_file)):
                reason = "stopped"
                break
            index = order[b * local_batch:(b + 1) * local_batch].to(device)
            xb, tb = x_train[index], t_train[index]
            net.zero_grad(set_to_none=False)
            differentiable, value, y = studio_loss(loss_name, model, net.output_activation, xb, tb)
            pen = penalty(net, l1, l2)
            (differentiable + pen).backward()
            optimizer.step(lr)
            iteration += 1
            n = xb.shape[0]
            correct = float((class_of_rows(y.detach()) == class_of_rows(tb)).sum()) if task == "classification" else 0.0
            sums += torch.tensor([(float(value) + float(pen)) * n, n, correct], dtype=torch.float64, device=device)
            if args.progress and time.time() - last_report[0] >= 0.1:
                last_report[0] = time.time()
                elapsed = time.time() - epoch_started
                report({"type": "batch", "epoch": epoch + 1, "epochs": planned, "batch": b + 1, "batches": share_batches, "iteration": iteration,
                        "loss": float(value) + float(pen), "accuracy": correct / n if task == "classification" else None, "learningRate": lr,
                        "samplesPerSec": float(sums[1]) * world / elapsed if elapsed > 0 else 0.0})
        if reason == "stopped" and sums[1] == 0:
            break
        if world > 1:
            dist.all_reduce(sums)
        seconds = time.time() - epoch_started
        flat = net.flat_weights()
        if not np.all(np.isfinite(flat)):
            if lead:
                sys.exit("training diverged in epoch %d: a weight is NaN or infinite (learning rate %g); lower the learning rate" % (epoch + 1, lr))
            sys.exit(1)
        loss = float(sums[0] / sums[1])
        validation = evaluate(net, loss_name, *tensors["validation"], l1, l2, task) if has_validation else None
        value = validation["loss"] if monitor == "val_loss" else loss
        early = False
        if value < best_value - (es or {}).get("minDelta", 0):
            best_value, best_epoch, waited = value, epoch + 1, 0
            if es and es.get("restoreBest", True):
                best_weights = flat
        elif es:
            waited += 1
            early = waited >= es["patience"]
        point = {
            "epoch": epoch + 1, "iteration": iteration, "loss": loss,
            "accuracy": float(sums[2] / sums[1]) if task == "classification" else None,
            "valLoss": validation["loss"] if validation else None,
            "valMetric": (validation["metrics"]["accuracy"] if task == "classification" else validation["metrics"]["r2"]) if validation else None,
            "learningRate": lr, "seconds": seconds, "bestEpoch": best_epoch, "earlyStopped": early,
        }
        history.append(point)
        if lead:
            with open(os.path.join(out, "history.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(point) + "\n")
            torch.save({"epoch": epoch + 1, "iteration": iteration, "weights": flat, "optimizer": optimizer.state(),
                        "best_value": best_value, "best_epoch": best_epoch, "waited": waited, "history": history,
                        "best_weights": best_weights, "rng": torch.get_rng_state()}, checkpoint + ".tmp")
            os.replace(checkpoint + ".tmp", checkpoint)
            if not args.progress:  # a watching program reads history.jsonl
                print("epoch %d/%d  loss %.6g%s" % (epoch + 1, planned, loss, "  val_loss %.6g" % validation["loss"] if validation else ""), flush=True)
        if reason == "stopped":
            break
        if early:
            reason = "early-stopped"
            break
        if iterations is not None and iteration >= iterations:
            break
    reason = reason or "completed"
    restored = False
    if reason == "early-stopped" and best_weights is not None and best_epoch > 0:
        net.load_flat(best_weights)
        restored = True

    if lead:
        evaluation = {name: evaluate(net, loss_name, *tensors[name], l1, l2, task) for name in ("train", "validation", "test")}
        np.savez(os.path.join(out, "weights.npz"), flat=net.flat_weights())
        result = {"format": "nn-studio-pytorch-result", "version": 1, "reason": reason, "epochs": len(history), "iterations": iteration,
                  "bestEpoch": best_epoch, "restoredBest": restored, "seconds": time.time() - started, "world": world,
                  "device": str(device), "torch": torch.__version__, "evaluation": evaluation}
        with open(os.path.join(out, "result.json.tmp"), "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
        os.replace(os.path.join(out, "result.json.tmp"), os.path.join(out, "result.json"))
        if args.progress:
            report({"type": "done", "reason": reason})
        else:
            print("%s after %d epochs; wrote %s" % (reason, len(history), out), flush=True)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
