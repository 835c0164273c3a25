#!/usr/bin/env python3
"""Writes torchvision's VGG-19 convolutional weights as a convlab checkpoint.

    python3 data/export_vgg19.py --out data/vgg19.weights            # ImageNet weights (downloads ~550 MB once)
    python3 data/export_vgg19.py --random --seed 0 --out /tmp/r.weights  # random init, no download
    python3 data/export_vgg19.py --random --width-divisor 16 --out ...   # same layout, widths / 16

The file is a convlab checkpoint (docs/checkpoint-format.md, read by src/io/checkpoint.hpp) holding the float32
tensors "conv1_1.weight" (C_out, C_in, 3, 3), "conv1_1.bias" (C_out,), ... "conv5_4.bias". The layer names
follow torchvision's vgg19().features order (see src/nets/vgg19.hpp).
Then: build/bin/09_neural_style_transfer --weights data/vgg19.weights
Needs torch and torchvision (Debian: python3-torch python3-torchvision).
"""
import argparse
import os
import struct
import sys
import zlib

BLOCKS = [(64, 2), (128, 2), (256, 4), (512, 4), (512, 4)]  # (width, convolutions) of VGG-19's five blocks


def layer_names():
    """Names of torchvision's vgg19().features[0..36], in order."""
    names = []
    for b, (_, convs) in enumerate(BLOCKS, start=1):
        for c in range(1, convs + 1):
            names += [f"conv{b}_{c}", f"relu{b}_{c}"]
        names.append(f"pool{b}")
    return names


def make_features(width_divisor=1):
    """vgg19().features built by torchvision's own make_layers, with every width divided by width_divisor."""
    from torchvision.models import vgg
    cfg = [v if v == "M" else v // width_divisor for v in vgg.cfgs["E"]]
    return vgg.make_layers(cfg, batch_norm=False)


def conv_weights(features):
    """[(name, tensor)] for the 16 convolutions: conv1_1.weight, conv1_1.bias, ..."""
    import torch
    out = []
    for name, module in zip(layer_names(), features):
        if isinstance(module, torch.nn.Conv2d):
            out += [(name + ".weight", module.weight), (name + ".bias", module.bias)]
    return out


def write_checkpoint(path, named):
    """Writes [(name, tensor)] as a convlab checkpoint, version 1 (docs/checkpoint-format.md): "CONVCKPT",
    u32 version, u32 count, u64 file size, the entries, then the CRC-32 (zlib's, as the C++ loader computes)
    of every byte before it. Little-endian throughout. Written to path.tmp, then renamed over path."""
    entries = []
    for name, t in named:
        data = t.detach().to("cpu").float().contiguous().numpy()
        encoded = name.encode("utf-8")
        entries.append(struct.pack("<I", len(encoded)) + encoded + struct.pack("<I", data.ndim) +
                       struct.pack(f"<{data.ndim}q", *data.shape) + data.astype("<f4").tobytes())
    body = b"".join(entries)
    size = 8 + 4 + 4 + 8 + len(body) + 4
    head = b"CONVCKPT" + struct.pack("<IIQ", 1, len(named), size)
    crc = zlib.crc32(head + body) & 0xFFFFFFFF
    with open(path + ".tmp", "wb") as f:
        f.write(head + body + struct.pack("<I", crc))
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="data/vgg19.weights")
    ap.add_argument("--random", action="store_true", help="torchvision's random initialisation, no download")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--width-divisor", type=int, default=1, help="with --random: every width / this")
    args = ap.parse_args()
    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.exit(f"export_vgg19: needs torch and torchvision ({e}); Debian: apt-get install python3-torchvision")
    if args.random:
        torch.manual_seed(args.seed)
        features = make_features(args.width_divisor)
    else:
        if args.width_divisor != 1:
            sys.exit("export_vgg19: --width-divisor needs --random (the ImageNet weights have full width)")
        features = torchvision.models.vgg19(weights=torchvision.models.VGG19_Weights.IMAGENET1K_V1).features
    named = conv_weights(features)
    write_checkpoint(args.out, named)
    count = sum(t.numel() for _, t in named)
    print(f"export_vgg19: wrote {len(named)} tensors, {count} weights, to {args.out}")


if __name__ == "__main__":
    main()
