#!/usr/bin/env python3
"""Reference activations and input gradients of a randomly initialised torchvision VGG-19, for the parity test.

    python3 data/make_vgg_parity.py            # small: widths / 16, 32x32 input -> tests/fixtures/vgg/ (committed)
    python3 data/make_vgg_parity.py --full     # full width, 64x64 input, in a temporary directory, then runs
                                               # build/bin/tests -ts=nets.vgg19_parity_full against it

Writes two convlab checkpoints (docs/checkpoint-format.md; export_vgg19.write_checkpoint):
  vgg19_w<D>.weights      the network's conv weights (export_vgg19.py's layout)
  vgg19_w<D>_ref.weights  "input" (1, 3, S, S) in [0, 1]; "max.<layer>" activations of the layers in LAYERS
                          with max pooling; "max.grad" and "avg.grad", dL/d input for max and average pooling,
                          where L = sum over LOSS_LAYERS of mean(a^2).
The test (tests/nets/test_vgg19.cpp) asks convlab for the same and bounds the relative error by 1e-4 (forward)
and 1e-3 (gradient). Without torch the script says so and exits 0 (nothing to compare against).
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_vgg19 import conv_weights, layer_names, make_features, write_checkpoint  # noqa: E402

LAYERS = ["conv1_1", "relu1_2", "pool1", "conv2_1", "conv3_4", "relu4_2", "pool4", "conv5_1", "relu5_4", "pool5"]
LOSS_LAYERS = ["conv1_2", "relu2_1", "conv3_1", "relu4_2", "conv5_1", "relu5_4"]
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def run(features, x, pooling):
    """Activations {name: tensor} of every layer for input x in [0, 1], with max or avg pooling."""
    import torch
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    h = (x - mean) / std
    out = {}
    for name, module in zip(layer_names(), features):
        if isinstance(module, torch.nn.MaxPool2d) and pooling == "avg":
            h = torch.nn.functional.avg_pool2d(h, 2, 2)
        elif isinstance(module, torch.nn.ReLU):
            h = torch.relu(h)  # torchvision's ReLU(inplace=True) would overwrite the conv output we keep
        else:
            h = module(h)
        out[name] = h
    return out


def make(out_dir, width_divisor, size, seed):
    import torch
    torch.manual_seed(seed)
    features = make_features(width_divisor)
    x = torch.rand(1, 3, size, size, dtype=torch.float32)
    refs = [("input", x.clone())]
    for pooling in ["max", "avg"]:
        xg = x.clone().requires_grad_(True)
        acts = run(features, xg, pooling)
        if pooling == "max":
            refs += [(f"max.{name}", acts[name].detach()) for name in LAYERS]
        loss = sum((acts[name] ** 2).mean() for name in LOSS_LAYERS)
        loss.backward()
        refs.append((f"{pooling}.grad", xg.grad.detach()))
    stem = os.path.join(out_dir, f"vgg19_w{width_divisor}")
    write_checkpoint(stem + ".weights", conv_weights(features))
    write_checkpoint(stem + "_ref.weights", refs)
    return stem


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true", help="full width, checked at once by the test binary")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"make_vgg_parity: skipped, torch/torchvision not available ({e})")
        return
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not args.full:
        stem = make(os.path.join(top, "tests", "fixtures", "vgg"), 16, 32, args.seed)
        print(f"make_vgg_parity: wrote {stem}.weights and {stem}_ref.weights")
        return
    with tempfile.TemporaryDirectory() as tmp:
        make(tmp, 1, 64, args.seed)
        tests = os.path.join(top, "build", "bin", "tests")
        env = dict(os.environ, CONVLAB_VGG_PARITY_DIR=tmp)
        sys.exit(subprocess.call([tests, "-ts=nets.vgg19_parity_full"], env=env))


if __name__ == "__main__":
    main()
