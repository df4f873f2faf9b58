/** README.md and requirements.txt of a PyTorch job: the commands for one machine, N GPUs and several machines. */
import { describeLayer } from '../../nn/spec.js';
import type { PytorchJob } from './job.js';

/** torch 1.13 under Python 3.11 fails in torchrun's log redirection unless it is given these. */
export const TORCHRUN_13_FLAGS = '--redirects 1 --tee 1 --log_dir logs';

export function readme(job: PytorchJob): string {
  const t = job.training;
  const recipe = [
    `${t.optimizer.name} (learning rate ${t.optimizer.lr}${t.optimizer.momentum !== undefined ? `, momentum ${t.optimizer.momentum}` : ''})`,
    `batch ${t.batchSize}`, t.epochs !== undefined ? `${t.epochs} epochs` : null, t.iterations !== undefined ? `${t.iterations} iterations` : null,
    t.l1 ? `L1 ${t.l1}` : null, t.l2 ? `L2 ${t.l2}` : null, `schedule ${t.schedule.name}`,
    t.earlyStopping ? `early stopping after ${t.earlyStopping.patience} epochs without improvement` : null, `seed ${t.seed}`,
  ].filter(Boolean).join(', ');
  const data = job.data.kind === 'prepared'
    ? 'prepared.npz (the studio decoded this dataset; it holds the inputs and targets of each split)'
    : `${job.data.source} (or the copy you name with --data PATH)`;
  return `# ${job.name}: a PyTorch training job exported by NN Studio ${job.studio}

The network, preprocessing and training recipe of the NN Studio project, for PyTorch. Only
PyTorch and NumPy are needed (\`pip install -r requirements.txt\`).

- Network: input ${job.spec.input.join('×')}, ${job.spec.layers.map(describeLayer).join(' → ')}; loss ${job.spec.loss}
- Recipe: ${recipe}
- Data: ${data}

## One machine

    python3 train.py --out run                 # CPU, or CUDA when PyTorch sees a GPU (--device cpu|cuda)
    python3 train.py --out run --init weights.npz   # continue from the studio's trained weights

Training starts from initial.npz, the weights the studio itself starts from with this seed.
Each epoch appends a line to \`run/history.jsonl\` and saves \`run/checkpoint.pt\`; launching the
same command again resumes after the last finished epoch (\`--fresh\` starts over). A file named
\`run/STOP\` ends training after the current batch; while \`run/PAUSE\` exists it waits. At the end
it writes \`run/weights.npz\` (the studio's layout) and \`run/result.json\` (loss and metrics of each
split). Bring the result back with

    nn-studio import PROJECT.nnstudio run            # or Runs → Import results… in the studio

## N GPUs (or N processes) on one machine

    torchrun --standalone --nproc_per_node N ${TORCHRUN_13_FLAGS} train.py --out run

DistributedDataParallel with a DistributedSampler: each process takes 1/N of every batch of the
recipe (the batch size stays the recipe's in total), gradients are averaged, and only rank 0
writes. The backend is nccl on CUDA, gloo on CPU.

## Several machines

On each of M machines (node_rank 0 … M−1), with HOST:PORT reachable from all of them:

    torchrun --nnodes M --node_rank R --nproc_per_node N --rdzv_backend c10d --rdzv_endpoint HOST:PORT ${TORCHRUN_13_FLAGS} train.py --out run

(PyTorch 2 also spells them \`--rdzv-backend\`, \`--rdzv-endpoint\`; torch 1.13 knows only the
underscores. Without a rendezvous backend: \`--master_addr HOST --master_port PORT\` on every node.)
Give every machine the dataset (\`--data PATH\` names its copy) and this folder.

## PyTorch 1.13 (Debian 12's python3-torch) with Python 3.11

torchrun's default \`--redirects 0\` fails there with
\`AttributeError: 'NoneType' object has no attribute 'get'\` (in \`Std.from_str\`). Pass
\`${TORCHRUN_13_FLAGS}\` as above: each process's output then goes to \`logs/\` and to the console.

## Files

- \`model.py\`: the network as an \`nn.Module\` (\`StudioNet\`), weights loaded from the studio's flat layout
- \`data.py\`: reads the dataset and applies the project's fitted preprocessing (through \`studio_model.encode\`)
- \`train.py\`: the studio's optimizers, schedule, losses, L1/L2, dropout and early stopping
- \`studio_model.py\`: NN Studio's NumPy export of the model (\`predict(rows)\`), used for preprocessing
- \`job.json\`: everything project-specific; \`split.npz\`: the studio's train/validation/test rows
`;
}

export function requirements(): string {
  return 'torch>=1.13\nnumpy>=1.21\n';
}
