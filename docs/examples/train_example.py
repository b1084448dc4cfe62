#!/usr/bin/env python3
"""Example trial script for Sextant's `command` evaluator (pure Python standard library; torch optional).

Protocol (see docs/evaluators.md):
  * parameters: JSON object in the file named by SEXTANT_PARAMS_FILE (also SEXTANT_PARAM_<NAME> variables);
  * objective metric names: SEXTANT_OBJECTIVES (comma-separated, objective order);
  * GPUs: CUDA_VISIBLE_DEVICES holds exactly this trial's devices ("" = none);
  * stdout: {"step": n, "values": {...}} per intermediate measurement, then one final {"values": {...}};
    any other line is ignored; stderr is shown as the failure reason if the script exits non-zero.

It fits y = 3x - 2 + noise by mini-batch gradient descent with the trial's learning rate `lr` (and optional
`epochs`, `batch_size`, `seed`) and reports the mean squared error as the first objective metric. With PyTorch
installed it trains the same model with torch, on CUDA when the trial was given a GPU and CUDA is available.

Run it by hand:  echo '{"lr": 0.05}' > /tmp/p.json && SEXTANT_PARAMS_FILE=/tmp/p.json python3 train_example.py
"""
import json
import math
import os
import random
import sys


def load_params():
    path = os.environ.get("SEXTANT_PARAMS_FILE")
    if path:
        with open(path) as f:
            return json.load(f)
    return {"lr": 0.05}


def emit(obj):
    # flush so the executor sees every measurement at once (and can stop us early)
    print(json.dumps(obj), flush=True)


def dataset(seed, n=512):
    rng = random.Random(seed)
    xs = [rng.uniform(-1, 1) for _ in range(n)]
    ys = [3 * x - 2 + rng.gauss(0, 0.1) for x in xs]
    return xs, ys


def train_pure_python(lr, epochs, batch_size, seed, metric):
    xs, ys = dataset(seed)
    w, b = 0.0, 0.0
    rng = random.Random(seed + 1)
    idx = list(range(len(xs)))
    mse = float("inf")
    for epoch in range(1, epochs + 1):
        rng.shuffle(idx)
        for start in range(0, len(idx), batch_size):
            batch = idx[start:start + batch_size]
            try:
                gw = sum(2 * (w * xs[i] + b - ys[i]) * xs[i] for i in batch) / len(batch)
                gb = sum(2 * (w * xs[i] + b - ys[i]) for i in batch) / len(batch)
                w -= lr * gw
                b -= lr * gb
            except OverflowError:
                w = b = float("inf")
        try:
            mse = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        except OverflowError:
            mse = float("inf")
        if not math.isfinite(mse):
            mse = float("inf")  # diverged: report +Infinity (json.dumps writes a bare Infinity token)
        emit({"step": epoch, "values": {metric: mse}})
        if math.isinf(mse):
            break
    return mse


def train_torch(torch, lr, epochs, batch_size, seed, metric):
    use_cuda = os.environ.get("CUDA_VISIBLE_DEVICES", "") != "" and torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")
    name = torch.cuda.get_device_name(0) if use_cuda else "cpu"
    print(f"torch {torch.__version__} on {device} ({name}), "
          f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '')!r}", file=sys.stderr)
    torch.manual_seed(seed)
    xs, ys = dataset(seed)
    x = torch.tensor(xs, device=device).unsqueeze(1)
    y = torch.tensor(ys, device=device).unsqueeze(1)
    model = torch.nn.Linear(1, 1).to(device)
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    mse = float("inf")
    for epoch in range(1, epochs + 1):
        perm = torch.randperm(len(xs), device=device)
        for start in range(0, len(xs), batch_size):
            b = perm[start:start + batch_size]
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x[b]), y[b])
            loss.backward()
            opt.step()
        with torch.no_grad():
            mse = torch.nn.functional.mse_loss(model(x), y).item()
        if not math.isfinite(mse):
            mse = float("inf")
        emit({"step": epoch, "values": {metric: mse}})
        if math.isinf(mse):
            break
    return mse, str(device)


def main():
    p = load_params()
    lr = float(p.get("lr", 0.05))
    epochs = int(p.get("epochs", 20))
    batch_size = int(p.get("batch_size", 32))
    seed = int(p.get("seed", int(os.environ.get("SEXTANT_TRIAL_NUMBER", "0"))))
    metrics = [m for m in os.environ.get("SEXTANT_OBJECTIVES", "loss").split(",") if m]
    metric = metrics[0]
    if lr <= 0:
        print(f"lr must be positive, got {lr}", file=sys.stderr)
        sys.exit(2)
    print(f"trial {os.environ.get('SEXTANT_TRIAL_NUMBER', '?')}: lr={lr} epochs={epochs}")  # free text: ignored
    try:
        import torch  # optional
    except ImportError:
        torch = None
    if torch is not None:
        mse, device = train_torch(torch, lr, epochs, batch_size, seed, metric)
    else:
        mse, device = train_pure_python(lr, epochs, batch_size, seed, metric), "python"
    final = {metric: mse}
    for extra in metrics[1:]:
        final[extra] = 0.0  # a real script computes every objective it was asked for
    emit({"values": final})
    print(f"done on {device}: {metric}={mse}", file=sys.stderr)


if __name__ == "__main__":
    main()
