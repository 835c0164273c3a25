# tests/bench/peer_torch.py
#
# The PyTorch (CPU) side of the benchmark: the same models, sizes and thread counts as the convlab figures
# in tests/bench/models.hpp. build/bin/bench_speed runs it with --serve (below); by hand, it times each
# figure alone (median of --runs after one warm-up run):
#
#   python3 tests/bench/peer_torch.py --threads 2 --runs 5 --figures "conv1d fwd+bwd,face-cnn step b32"
#
# prints one line per figure: "RESULT <tab> name <tab> median seconds". Weights are random (timing only).
# With --peak-memory FIGURE it prints the process's resident set before and at the peak of two runs.
#
# With --serve it takes its orders on stdin, one per line, so that bench_speed can time the two sides in
# turns (a convlab run, a PyTorch run, ...) and both see the same moments of a noisy machine:
#   "setup <figure>"  builds the figure, answers "READY"
#   "time"            runs the figure set up last once, answers "TIME <tab> seconds"
import argparse
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def vgg19_to(last_layer):
    """torchvision's vgg19().features up to and including `last_layer` (relu5_1 = index 29), frozen."""
    import torchvision
    net = torchvision.models.vgg19(weights=None).features[: last_layer + 1].eval()
    for p in net.parameters():
        p.requires_grad_(False)
    return net


RELU5_1, CONV4_2, STYLE_CONVS = 29, 21, (0, 5, 10, 19, 28)  # conv1_1, conv2_1, conv3_1, conv4_1, conv5_1


def vgg_forward(size):
    net, x = vgg19_to(RELU5_1), torch.rand(1, 3, size, size)

    def run():
        with torch.no_grad():
            net(x)
    return run


def vgg_forward_backward(size):
    net, x = vgg19_to(RELU5_1), torch.rand(1, 3, size, size, requires_grad=True)

    def run():
        x.grad = None
        net(x).sum().backward()
    return run


def gram(a):
    """a: (1, n_C, n_H, n_W) -> G = A A^T with A = a as (n_C, n_H n_W)."""
    A = a.reshape(a.shape[1], -1)
    return A @ A.t()


def style_iteration(size):
    """One forward + backward to the generated image G: 1 content cost (conv4_2), 5 Gram style costs."""
    net = vgg19_to(28)  # through conv5_1
    wanted = set(STYLE_CONVS) | {CONV4_2}

    def features(x):
        out = {}
        for i, layer in enumerate(net):
            x = layer(x)
            if i in wanted:
                out[i] = x
        return out

    with torch.no_grad():
        a_C = features(torch.rand(1, 3, size, size))[CONV4_2]
        G_S = {i: gram(a) for i, a in features(torch.rand(1, 3, size, size)).items() if i in STYLE_CONVS}
    G = torch.rand(1, 3, size, size, requires_grad=True)

    def run():
        G.grad = None
        a = features(G)
        _, n_C, n_H, n_W = a_C.shape
        J_content = ((a_C - a[CONV4_2]) ** 2).sum() / (4 * n_C * n_H * n_W)
        J_style = 0
        for i in STYLE_CONVS:
            _, n_C, n_H, n_W = a[i].shape
            J_style = J_style + 0.2 * ((G_S[i] - gram(a[i])) ** 2).sum() / (4 * n_C ** 2 * (n_H * n_W) ** 2)
        (10 * J_content + 40 * J_style).backward()
    return run


def face_step():
    """Batch 32 of 1x112x92 through the face CNN, triplet loss on 10 triplets, one SGD momentum step."""
    def block(c_in, c_out):
        return [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    model = nn.Sequential(*block(1, 32), *block(32, 64), *block(64, 128), nn.Conv2d(128, 128, 3, padding=1),
                          nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 128))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.rand(32, 1, 112, 92)

    def run():
        opt.zero_grad()
        f = F.normalize(model(x), dim=1)
        f_A, f_P, f_N = f[0:10], f[10:20], f[20:30]
        loss = F.relu(((f_A - f_P) ** 2).sum(1) - ((f_A - f_N) ** 2).sum(1) + 0.2).sum()
        loss.backward()
        opt.step()
    return run


def conv_fwd_bwd(x, layers):
    model = nn.Sequential(*layers)

    def run():
        model.zero_grad()
        model(x).sum().backward()
    return run


# MobileNetV1 (alpha 1) at 512 x 512 as tests/bench/speed.cpp builds it: conv 3x3 3 -> 32 stride 2, then 13 x
# (depthwise 3x3 at the stride, pointwise 1x1), ReLU after each, padding 1; (C_in, stride, C_out) per pair.
MOBILENET = [(32, 1, 64), (64, 2, 128), (128, 1, 128), (128, 2, 256), (256, 1, 256), (256, 2, 512)] + \
    [(512, 1, 512)] * 5 + [(512, 2, 1024), (1024, 1, 1024)]


def mobilenet_weights():
    dw = [(torch.randn(c, 1, 3, 3) * 0.3, torch.zeros(c)) for c, _, _ in MOBILENET]
    pw = [(torch.randn(o, c, 1, 1) / c ** 0.5, torch.zeros(o)) for c, _, o in MOBILENET]
    return (torch.randn(32, 3, 3, 3) * 0.2, torch.zeros(32)), dw, pw


def mobilenet_forward():
    (W0, b0), dw, pw = mobilenet_weights()
    x = torch.rand(1, 3, 512, 512)

    def run():
        with torch.no_grad():
            a = F.relu(F.conv2d(x, W0, b0, 2, 1))
            for (c, s, _), (W, b), (Wp, bp) in zip(MOBILENET, dw, pw):
                a = F.relu(F.conv2d(a, W, b, s, 1, 1, c))
                a = F.relu(F.conv2d(a, Wp, bp))
    return run


def depthwise_layers():
    """The 13 depthwise layers of mobilenet_forward alone, each on an input of its shape."""
    _, dw, _ = mobilenet_weights()
    inputs, size = [], 256
    for c, s, _ in MOBILENET:
        inputs.append(torch.rand(1, c, size, size))
        size //= s

    def run():
        with torch.no_grad():
            for x, (c, s, _), (W, b) in zip(inputs, MOBILENET, dw):
                F.conv2d(x, W, b, s, 1, 1, c)
    return run


FIGURES = {
    "vgg19 relu5_1 fwd 256": lambda: vgg_forward(256),
    "vgg19 relu5_1 fwd+bwd 256": lambda: vgg_forward_backward(256),
    "vgg19 relu5_1 fwd 512": lambda: vgg_forward(512),
    "vgg19 relu5_1 fwd+bwd 512": lambda: vgg_forward_backward(512),
    "style iteration 256": lambda: style_iteration(256),
    "style iteration 512": lambda: style_iteration(512),
    "face-cnn step b32": face_step,
    "conv1d fwd+bwd": lambda: conv_fwd_bwd(torch.rand(256, 1, 1000), [nn.Conv1d(1, 16, 5), nn.Conv1d(16, 32, 5)]),
    "conv3d fwd+bwd": lambda: conv_fwd_bwd(torch.rand(8, 1, 32, 32, 32), [nn.Conv3d(1, 16, 5), nn.Conv3d(16, 32, 3)]),
    "depthwise 3x3 fwd (mobilenet-v1's 13)": depthwise_layers,
    "mobilenet-v1 fwd 512": mobilenet_forward,
}


def serve():
    """Answers the orders of bench_speed (see the top of this file) until stdin closes."""
    run = None
    for line in sys.stdin:
        order, _, name = line.strip().partition(" ")
        if order == "setup":
            run = FIGURES[name]()
            print("READY", flush=True)
        elif order == "time":
            t0 = time.perf_counter()
            run()
            print(f"TIME\t{time.perf_counter() - t0:.6f}", flush=True)
        else:
            print(f"peer_torch.py: unknown order '{line.strip()}'", file=sys.stderr, flush=True)
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--figures", default=",".join(FIGURES))
    parser.add_argument("--serve", action="store_true", help="take orders on stdin (bench_speed's interleaved runs)")
    parser.add_argument("--peak-memory", metavar="FIGURE",
                        help="run FIGURE twice and print 'MEMORY <tab> base KB <tab> peak KB' (resident set)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.serve:
        serve()
        return
    if args.peak_memory:
        import resource
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # after the imports: the interpreter and torch
        run = FIGURES[args.peak_memory]()
        run()
        run()
        print(f"MEMORY\t{base}\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", flush=True)
        return
    for name in args.figures.split(","):
        if name not in FIGURES:
            print(f"peer_torch.py: unknown figure '{name}'", file=sys.stderr)
            continue
        run = FIGURES[name]()
        run()  # warm-up
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        print(f"RESULT\t{name}\t{statistics.median(times):.6f}", flush=True)


if __name__ == "__main__":
    main()
