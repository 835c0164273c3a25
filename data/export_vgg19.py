#!/usr/bin/env python3
"""Writes torchvision's VGG-19 convolutional weights as a convlab checkpoint.

    make vgg19                                                       # the same as the next line, with a Python
                                                                     # that has torch (python3, /usr/bin/python3)
    python3 data/export_vgg19.py --out data/vgg19.weights            # ImageNet weights (downloads ~550 MB once)
    python3 data/export_vgg19.py --from vgg19-dcbb9e9d.pth           # a file fetched elsewhere (offline machine,
                                                                     # ~/.cache/torch/hub/checkpoints/): no download
    python3 data/export_vgg19.py --random --seed 0 --out /tmp/r.weights  # random init, no download
    python3 data/export_vgg19.py --random --width-divisor 16 --out ...   # same layout, widths / 16

The file is a convlab checkpoint (docs/checkpoint-format.md, read by src/io/checkpoint.hpp) holding the float32
tensors "conv1_1.weight" (C_out, C_in, 3, 3), "conv1_1.bias" (C_out,), ... "conv5_4.bias". The layer names
follow torchvision's vgg19().features order (see src/nets/vgg19.hpp).
With data/vgg19.weights present, chapters 05-09 use VGG-19 without options (--weights none: the embedded
network). Needs torch and torchvision (Debian: python3-torchvision).

--from checks the file before converting it: a torch zip archive holding a state dict with torchvision's
keys features.<i>.weight / .bias (or <i>.weight, features only) in VGG-19's shapes; anything else stops with
one line naming the file and what is wrong, and writes nothing.
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


def conv_shapes():
    """{torchvision index: (name, weight shape)} of the 16 convolutions of vgg19().features."""
    shapes, channels, index = {}, 3, 0
    for b, (width, convs) in enumerate(BLOCKS, start=1):
        for c in range(1, convs + 1):
            shapes[index] = (f"conv{b}_{c}", (width, channels, 3, 3))
            channels = width
            index += 2  # the convolution, then its ReLU
        index += 1      # the block's pooling
    return shapes


def check_state_dict(shapes, source):
    """shapes: {key: shape tuple} of a state dict -> [(convlab name, key)] for the 32 tensors VGG-19 needs,
    keys "features.<i>.weight" (torchvision's vgg19()) or "<i>.weight" (its .features alone). A missing
    key or a wrong shape raises ValueError with one line naming source, the key, expected and actual."""
    prefix = "features." if any(k.startswith("features.") for k in shapes) else ""
    wanted = []
    for index, (name, w_shape) in conv_shapes().items():
        for suffix, shape in (("weight", w_shape), ("bias", w_shape[:1])):
            key = f"{prefix}{index}.{suffix}"
            if key not in shapes:
                raise ValueError(f"{source}: not VGG-19 weights: no tensor '{key}' ({len(shapes)} tensors, "
                                 f"first {sorted(shapes)[:3]})")
            if tuple(shapes[key]) != shape:
                raise ValueError(f"{source}: not VGG-19 weights: '{key}' has shape {tuple(shapes[key])}, "
                                 f"expected {shape}")
            wanted.append((f"{name}.{suffix}", key))
    return wanted


def check_pth_file(path):
    """Before torch reads it: path exists and is a zip archive (what torch.save writes since torch 1.6)."""
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic != b"PK\x03\x04":
        raise ValueError(f"{path}: not a PyTorch .pth file (expected a zip archive, starts with {magic!r})")


def load_pth(path):
    """The conv weights of a torchvision VGG-19 .pth file, [(convlab name, tensor)]; checked first."""
    import torch
    try:
        state = torch.load(path, map_location="cpu")
    except Exception as e:  # torch's own reasons are many lines long; keep its first
        raise ValueError(f"{path}: torch.load failed: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    if not isinstance(state, dict):
        raise ValueError(f"{path}: expected a state dict, found a {type(state).__name__}")
    shapes = {k: tuple(v.shape) for k, v in state.items() if hasattr(v, "shape")}
    return [(name, state[key]) for name, key in check_state_dict(shapes, path)]


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
    ap.add_argument("--from", dest="source", metavar="FILE", help="a local vgg19-*.pth instead of the download")
    ap.add_argument("--random", action="store_true", help="torchvision's random initialisation, no download")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--width-divisor", type=int, default=1, help="with --random: every width / this")
    args = ap.parse_args()
    if args.source and (args.random or args.width_divisor != 1):
        sys.exit("export_vgg19: --from cannot go with --random or --width-divisor")
    out_dir = os.path.dirname(args.out) or "."
    if not os.path.isdir(out_dir):
        sys.exit(f"export_vgg19: --out {args.out}: folder {out_dir} does not exist")
    try:
        if args.source:
            check_pth_file(args.source)
    except ValueError as e:
        sys.exit(f"export_vgg19: --from {e}")
    try:
        import torch
        import torchvision
    except ImportError as e:
        sys.exit(f"export_vgg19: needs torch and torchvision ({e}); Debian: apt-get install python3-torchvision")
    if args.source:
        try:
            named = load_pth(args.source)
        except ValueError as e:
            sys.exit(f"export_vgg19: --from {e}")
    elif args.random:
        torch.manual_seed(args.seed)
        named = conv_weights(make_features(args.width_divisor))
    else:
        if args.width_divisor != 1:
            sys.exit("export_vgg19: --width-divisor needs --random (the ImageNet weights have full width)")
        weights = torchvision.models.VGG19_Weights.IMAGENET1K_V1
        named = conv_weights(torchvision.models.vgg19(weights=weights).features)
    write_checkpoint(args.out, named)
    count = sum(t.numel() for _, t in named)
    print(f"export_vgg19: wrote {len(named)} tensors, {count} weights, to {args.out}")


if __name__ == "__main__":
    main()
