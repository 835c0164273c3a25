// tests/bench/speed.cpp -> build/bin/bench_speed (run by `make bench`)
//
// convlab against its peers on this machine, at 1 and 2 threads: sgemm against OpenBLAS (square sizes and
// the matrix products of VGG-19's convolutions on a 256 x 256 image, as im2col lays them out), and the
// networks of the course against PyTorch (tests/bench/models.hpp, tests/bench/peer_torch.py), with
// MobileNetV1's forward pass and its 13 depthwise 3x3 layers alone (below). Prints one
// table and writes it, with the machine, the date and the targets of issue 3, as this CPU's section of
// docs/benchmarks.md (the other CPUs' sections stay); the figures also go to out/bench.json.
//
//   build/bin/bench_speed                  everything (~5 minutes)
//   build/bin/bench_speed --only sgemm     the figures whose name contains "sgemm"; no report files
#include <sys/resource.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>
#include <tuple>

#include "io/atomic_file.hpp"
#include "kernels/gemm.hpp"
#include "tests/bench/harness.hpp"
#include "tests/bench/machine.hpp"
#include "tests/bench/models.hpp"
#include "tests/bench/openblas_peer.hpp"
#include "tests/bench/torch_peer.hpp"

using namespace bench;

namespace {

constexpr int kThreadCounts[] = {1, 2};
const std::string kCpuHeading = "## Speed on ";  // + the CPU's model: one section of docs/benchmarks.md per CPU

struct GemmShape {
    int64_t M, N, K;
};

// Square products, then VGG-19's convolutions at 256^2 as (C_out) x (n_H n_W) x (C_in f_H f_W) products.
constexpr GemmShape kGemmShapes[] = {{256, 256, 256},    {512, 512, 512},      {1024, 1024, 1024},
                                     {2048, 2048, 2048}, {64, 65536, 27},      {64, 65536, 576},
                                     {128, 16384, 576},  {256, 4096, 1152},    {512, 1024, 2304},
                                     {512, 256, 4608}};

std::string gemm_name(const GemmShape& s) {
    return "sgemm " + std::to_string(s.M) + "x" + std::to_string(s.N) + "x" + std::to_string(s.K);
}

bool wanted(const std::string& name, const std::string& only) { return name.find(only) != std::string::npos; }

void gemm_figures(const OpenBlas& openblas, const std::string& only, std::vector<Row>& rows) {
    for (const GemmShape& s : kGemmShapes) {
        if (!wanted(gemm_name(s), only)) continue;
        Rng rng(7);
        std::vector<float> A(size_t(s.M * s.K)), B(size_t(s.K * s.N)), C(size_t(s.M * s.N));
        for (float& a : A) a = rng.uniform(-1.0f, 1.0f);
        for (float& b : B) b = rng.uniform(-1.0f, 1.0f);
        for (const int threads : kThreadCounts) {
            set_num_threads(threads);
            Row row{gemm_name(s), threads, 0.0, -1.0, "OpenBLAS", 2.0 * double(s.M) * double(s.N) * double(s.K)};
            if (openblas.available()) openblas.set_threads(threads);
            std::tie(row.convlab_s, row.peer_s) = median_seconds_in_turns(
                [&] {
                    return seconds_of([&] {
                        gemm(false, false, s.M, s.N, s.K, 1.0f, A.data(), s.K, B.data(), s.N, 0.0f, C.data(), s.N);
                    });
                },
                !openblas.available() ? std::function<double()>() : [&] {
                    return seconds_of([&] {
                        openblas.sgemm(false, false, s.M, s.N, s.K, 1.0f, A.data(), s.K, B.data(), s.N, 0.0f,
                                       C.data(), s.N);
                    });
                });
            std::cout << table_row(row) << std::flush;
            rows.push_back(row);
        }
    }
}

// MobileNetV1 (alpha 1) on one 3 x 512 x 512 image, as the SSD face detector runs it: a 3x3 convolution 3 -> 32
// at stride 2, then 13 pairs of a depthwise 3x3 convolution (groups = channels) and a pointwise 1x1 one,
// each followed by ReLU (batch norm folded into the weights); padding 1. The depthwise layers' inputs:
// (1, C, 256, 256) .. (1, 1024, 16, 16). peer_torch.py builds the same.
struct MobileNetLayer {
    int64_t C_in, stride, C_out;  // depthwise C_in -> C_in at the stride, then pointwise C_in -> C_out
};
constexpr MobileNetLayer kMobileNet[] = {{32, 1, 64},   {64, 2, 128},  {128, 1, 128}, {128, 2, 256}, {256, 1, 256},
                                         {256, 2, 512}, {512, 1, 512}, {512, 1, 512}, {512, 1, 512}, {512, 1, 512},
                                         {512, 1, 512}, {512, 2, 1024}, {1024, 1, 1024}};
constexpr int64_t kMobileNetSize = 512;

struct MobileNetWeights {
    Tensor W0, b0;
    std::vector<Tensor> W_dw, b_dw, W_pw, b_pw;
};

MobileNetWeights mobilenet_weights(Rng& rng) {
    MobileNetWeights w{Tensor::randn({32, 3, 3, 3}, rng, 0.2f), Tensor::zeros({32}), {}, {}, {}, {}};
    for (const MobileNetLayer& l : kMobileNet) {
        w.W_dw.push_back(Tensor::randn({l.C_in, 1, 3, 3}, rng, 0.3f));
        w.b_dw.push_back(Tensor::zeros({l.C_in}));
        w.W_pw.push_back(Tensor::randn({l.C_out, l.C_in, 1, 1}, rng, 1.0f / std::sqrt(float(l.C_in))));
        w.b_pw.push_back(Tensor::zeros({l.C_out}));
    }
    return w;
}

std::function<void()> mobilenet_forward() {
    Rng rng(6);
    const auto w = std::make_shared<MobileNetWeights>(mobilenet_weights(rng));
    const Tensor x = Tensor::rand({1, 3, kMobileNetSize, kMobileNetSize}, rng);
    return [w, x] {
        NoGradGuard no_grad;
        Tensor a = relu(conv2d(x, w->W0, w->b0, 2, 1));
        for (size_t i = 0; i < std::size(kMobileNet); ++i) {
            a = relu(conv2d(a, w->W_dw[i], w->b_dw[i], kMobileNet[i].stride, 1, 1, kMobileNet[i].C_in));
            a = relu(conv2d(a, w->W_pw[i], w->b_pw[i]));
        }
    };
}

// The 13 depthwise layers alone, each on an input of its shape.
std::function<void()> depthwise_layers() {
    Rng rng(7);
    const auto w = std::make_shared<MobileNetWeights>(mobilenet_weights(rng));
    std::vector<Tensor> inputs;
    int64_t size = kMobileNetSize / 2;
    for (const MobileNetLayer& l : kMobileNet) {
        inputs.push_back(Tensor::rand({1, l.C_in, size, size}, rng));
        size /= l.stride;
    }
    return [w, inputs] {
        NoGradGuard no_grad;
        for (size_t i = 0; i < inputs.size(); ++i)
            conv2d(inputs[i], w->W_dw[i], w->b_dw[i], kMobileNet[i].stride, 1, 1, kMobileNet[i].C_in);
    };
}

void network_figures(const TorchPeer& torch, const std::string& only, std::vector<Row>& rows) {
    std::shared_ptr<Vgg19> vgg;
    const auto net = [&] { return vgg ? vgg : (vgg = random_vgg19()); };
    const std::vector<std::pair<std::string, std::function<std::function<void()>()>>> figures = {
        {"vgg19 relu5_1 fwd 256", [&] { return vgg_forward(net(), 256); }},
        {"vgg19 relu5_1 fwd+bwd 256", [&] { return vgg_forward_backward(net(), 256); }},
        {"vgg19 relu5_1 fwd 512", [&] { return vgg_forward(net(), 512); }},
        {"vgg19 relu5_1 fwd+bwd 512", [&] { return vgg_forward_backward(net(), 512); }},
        {"style iteration 256", [&] { return style_iteration(net(), 256); }},
        {"face-cnn step b32", [] { return face_step(); }},
        {"conv1d fwd+bwd", [] { return conv1d_figure(); }},
        {"conv3d fwd+bwd", [] { return conv3d_figure(); }},
        {"depthwise 3x3 fwd (mobilenet-v1's 13)", [] { return depthwise_layers(); }},
        {"mobilenet-v1 fwd 512", [] { return mobilenet_forward(); }},
    };
    for (const int threads : kThreadCounts) {
        set_num_threads(threads);
        const std::unique_ptr<ChildProcess> server = torch.serve(threads);
        for (const auto& [name, make] : figures) {
            if (!wanted(name, only)) continue;
            const std::function<void()> iteration = make();
            const bool peer = server && TorchPeer::setup(*server, name);
            Row row{name, threads, 0.0, -1.0, "PyTorch"};
            std::tie(row.convlab_s, row.peer_s) = median_seconds_in_turns(
                [&] { return seconds_of(iteration); },
                !peer ? std::function<double()>() : [&] { return TorchPeer::time_once(*server); });
            std::cout << table_row(row) << std::flush;
            rows.push_back(row);
        }
    }
}

// ---- peak memory of one style-transfer iteration at 512^2 ------------------------------------------------
// Each side runs in a fresh process (this program re-run with --style-peak-memory, and peer_torch.py), so
// that nothing else it did counts: the resident set before the model is built (the program, or Python
// with torch loaded) and its peak over two iterations.

struct MemoryRow {
    std::string name;
    int threads;
    double convlab_base_kb, convlab_peak_kb, peer_base_kb, peer_peak_kb;  // < 0: not measured
    double convlab_mb() const { return (convlab_peak_kb - convlab_base_kb) / 1024; }
    double peer_mb() const { return (peer_peak_kb - peer_base_kb) / 1024; }
};

constexpr int64_t kMemorySize = 512;
constexpr int kMemoryThreads = 2;

double resident_kb() {
    long pages = 0, resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(f);
    }
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / 1024.0;
}

// The child's side: prints "MEMORY <tab> base KB <tab> peak KB".
int style_peak_memory(int64_t size) {
    set_num_threads(kMemoryThreads);
    const double base = resident_kb();
    const std::function<void()> iteration = style_iteration(random_vgg19(), size);
    iteration();
    iteration();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << "MEMORY\t" << base << "\t" << usage.ru_maxrss << "\n";
    return 0;
}

MemoryRow memory_figure(const TorchPeer& torch) {
    const std::string name = "style iteration " + std::to_string(kMemorySize);
    MemoryRow row{name, kMemoryThreads, -1, -1, -1, -1};
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::istringstream out(command_output(self + " --style-peak-memory " + std::to_string(kMemorySize)));
    std::string tag;
    if (!(out >> tag >> row.convlab_base_kb >> row.convlab_peak_kb) || tag != "MEMORY")
        row.convlab_base_kb = row.convlab_peak_kb = -1;
    std::tie(row.peer_base_kb, row.peer_peak_kb) = torch.peak_memory_kb(kMemoryThreads, name);
    return row;
}

std::string memory_table(const MemoryRow& m) {
    const auto side = [](double base, double peak) {
        return peak < 0 ? std::string("-")
                        : format("%.0f MB - ", peak / 1024) + format("%.0f MB = ", base / 1024) +
                              format("**%.0f MB**", (peak - base) / 1024);
    };
    std::ostringstream s;
    s << "| figure | threads | convlab: peak - before = iteration | PyTorch: peak - before = iteration | ratio |\n"
      << "|---|---:|---:|---:|---:|\n"
      << "| " << m.name << " | " << m.threads << " | " << side(m.convlab_base_kb, m.convlab_peak_kb) << " | "
      << side(m.peer_base_kb, m.peer_peak_kb) << " | "
      << (m.convlab_peak_kb > 0 && m.peer_peak_kb > 0 ? format("%.2f", m.convlab_mb() / m.peer_mb()) : "-")
      << " |\n";
    return s.str();
}

std::string memory_json(const MemoryRow& m) {
    const auto mb = [](double base, double peak) { return json_number(peak > 0 ? (peak - base) / 1024 : -1); };
    return "\"memory\": [{\"name\": " + json_string(m.name) + ", \"threads\": " + std::to_string(m.threads) +
           ", \"convlab_mb\": " + mb(m.convlab_base_kb, m.convlab_peak_kb) +
           ", \"peer_mb\": " + mb(m.peer_base_kb, m.peer_peak_kb) + "}]";
}

// The targets of issue 3, each with the measured value and whether it holds.
std::string targets(const std::vector<Row>& rows, const MemoryRow* memory) {
    const auto find = [&](const std::string& name, int threads) -> const Row* {
        for (const Row& r : rows)
            if (r.name == name && r.threads == threads) return &r;
        return nullptr;
    };
    std::ostringstream s;
    const auto line = [&](const std::string& what, double value, bool met, const std::string& unit) {
        s << "- " << what << ": " << format("%.2f", value) << unit << (met ? "  (met)" : "  (NOT met)") << "\n";
    };
    for (const char* size : {"1024", "2048"}) {
        const std::string name = std::string("sgemm ") + size + "x" + size + "x" + size;
        const Row *one = find(name, 1), *two = find(name, 2);
        if (one && one->peer_s > 0)
            line(name + ", 1 thread, speed vs OpenBLAS >= 0.90x", 1 / one->ratio(), one->ratio() <= 1 / 0.9, "x");
        if (two && two->peer_s > 0)
            line(name + ", 2 threads, speed vs OpenBLAS >= 1.00x", 1 / two->ratio(), two->ratio() <= 1.0, "x");
        if (one && two) {
            const double speedup = one->convlab_s / two->convlab_s;
            line(name + ", convlab speed-up from 1 to 2 threads >= 1.8x", speedup, speedup >= 1.8, "x");
        }
    }
    for (const char* name : {"vgg19 relu5_1 fwd+bwd 256", "style iteration 256", "conv1d fwd+bwd", "conv3d fwd+bwd"})
        for (const int threads : kThreadCounts)
            if (const Row* r = find(name, threads); r && r->peer_s > 0)
                line(std::string(name) + ", " + std::to_string(threads) + " thread(s), time vs PyTorch <= 1.00x",
                     r->ratio(), r->ratio() <= 1.0, "x");
    if (const Row* r = find("face-cnn step b32", 2); r && r->peer_s > 0)
        line("face-cnn step b32, 2 threads, images/s vs PyTorch >= 1.20x", 1 / r->ratio(), r->ratio() <= 1 / 1.2, "x");
    if (memory && memory->convlab_peak_kb > 0 && memory->peer_peak_kb > 0) {
        const double ratio = memory->convlab_mb() / memory->peer_mb();
        line(memory->name + ", memory of the iteration vs PyTorch <= 1.00x", ratio, ratio <= 1.0, "x");
    }
    return s.str();
}

// This CPU's section of docs/benchmarks.md: the machine, the run's conditions, the table, the memory and the
// targets.
std::string cpu_section(const std::string& model, const std::vector<Row>& rows, const MemoryRow& memory,
                        const std::string& machine, const std::string& date, const std::vector<std::string>& notes) {
    std::ostringstream s;
    s << kCpuHeading << model << "\n\n"
      << "Written by `make bench` (build/bin/bench_speed, tests/bench/speed.cpp) on " << date << ".\n\n"
      << "Machine: " << machine << ".\n\n";
    for (const std::string& n : notes) s << "- " << n << "\n";
    s << "\n" << table(rows) << "\n### Peak memory (resident set)\n\n" << memory_table(memory)
      << "\n### Targets (issue 3)\n\n" << targets(rows, &memory) << "\n";
    return s.str();
}

// The sections that hold for every CPU: how to read the figures, and why the kernels are built as they are.
std::string general_sections() {
    return std::string("## Reading the figures\n\n") +
         "- A product is bound either by the multiply-add units or by memory. The square products and the deep\n"
         "  VGG layers (K >= 1152) reuse every operand from the caches and run near the multiply-add peak; the\n"
         "  wide im2col products of the first layers (N = 65536, K = 27 or 576) stream their operands from\n"
         "  memory and are bound by its bandwidth (the ceiling above), for OpenBLAS as for convlab, and a\n"
         "  second thread adds little to them.\n"
         "- The benchmark shares the CPUs with whatever else runs (see the load average above). Two-thread\n"
         "  figures suffer most: when one thread has to wait for a CPU, the other waits for it at the end.\n"
         "- The network figures are mostly convolution (src/ops/conv.cpp picks per pass: Winograd F(2x2, 3x3) or\n"
         "  F(2x2x2, 3x3x3), the padded grid, or im2col + gemm), plus pooling, ReLU and the losses; PyTorch runs\n"
         "  its own convolution kernels.\n"
         "- convlab's sgemm and OpenBLAS's are at parity: between runs their ratio swings either way by up to\n"
         "  ~0.15, so a target of >= 1.00x OpenBLAS is met in some runs and missed in others.\n"
         "\n## Why the kernels are built as they are\n\n"
         "Measured on the Intel Xeon above while the kernels were designed (medians of several runs; the comments in\n"
         "src/ give the reasons and point here for the numbers):\n"
         "\n"
         "- gemm, two threads: 1.7x faster than one at 1024^3, 1.8x at 2048^3, 2.0-2.2x in the quietest runs\n"
         "  (load 0.3-1), the same as a split into one column strip per thread.\n"
         "- gemm below 16^3 multiply-adds runs a plain loop: at 8^3 both paths take 0.4 us; the blocked path is 1.3x\n"
         "  faster at 24^3 and 2.6x at 32^3. A piece of C handed to a thread holds at least 2^20 multiply-adds, about\n"
         "  10 us of work.\n"
         "- gemm with one row of C streams B as stored: 3x faster than packing it at 1 x 1000 x 50.\n"
         "- gemm packing: a panel of A transposed through a register block is twice as fast as reading its rows one\n"
         "  after the other (A 512 x 4608 from memory); B packed panel by panel instead of row by row made the wide\n"
         "  im2col products 1-10% slower (64 x 65536 x 576, 128 x 16384 x 576).\n"
         "- gemm micro-kernel: asking for the B panel's row k + 16 while using row k beats the hardware prefetcher\n"
         "  alone by 4-5% at 2048^3.\n"
         "- Fresh memory: a page costs 0.5 to 3 ms per MB on first touch, hence the caching allocator. On the\n"
         "  512 x 512 style iteration tensors peak at 988 MB live and the process grows by 1064 MB; free lists per\n"
         "  size class alone (no reuse across sizes) made it 1494 MB.\n"
         "- Thread pool: at load 2 on 2 CPUs a job of two 50 us pieces took a median 69-103 us with workers that\n"
         "  sleep between jobs (the caller often did both pieces) and 51-66 us with workers that keep looking for\n"
         "  100 us first.\n"
         "- Winograd products (src/kernels/winograd.cpp) on the AMD EPYC above, conv3d fwd+bwd at load 0.1-0.8: with\n"
         "  the fixed-width vector type of src/kernels/lanes.hpp, 0.63-0.74x PyTorch's time on 1 thread and\n"
         "  0.39-0.77x on 2; as plain loops left to GCC's auto-vectoriser, which there laid the register tile along\n"
         "  the wrong index (gathers, sums spilled to the stack), 3.5-3.7x and 3.2-3.6x.\n";
}

// docs/benchmarks.md holds one section per CPU measured ("## Speed on <model>"): this run replaces its own
// CPU's section (or adds it after the others) and keeps the other CPUs' sections and the sections of other
// programs (bench_face's), so figures from different machines stay side by side.
std::string benchmarks_page(const std::string& old_page, const std::string& model, const std::string& section) {
    std::vector<std::string> cpus, others;  // the old page's "## " sections, by kind
    for (size_t at = old_page.find("\n## "); at != std::string::npos;) {
        const size_t end = old_page.find("\n## ", at + 1);
        const std::string part = old_page.substr(at + 1, end == std::string::npos ? std::string::npos : end - at);
        const std::string heading = part.substr(0, part.find('\n'));
        if (heading.rfind(kCpuHeading, 0) == 0)
            cpus.push_back(heading == kCpuHeading + model ? section : part);
        else if (heading != "## Reading the figures" && heading != "## Why the kernels are built as they are")
            others.push_back(part);
        at = end;
    }
    if (std::find(cpus.begin(), cpus.end(), section) == cpus.end()) cpus.push_back(section);
    std::ostringstream s;
    s << "# Benchmarks\n\n"
      << "convlab against its peers, one section per CPU measured: `make bench` (tests/bench/speed.cpp) "
         "rewrites the section of the CPU it runs on and keeps the others. In each, the median of "
      << kRuns << " runs after " << kWarmup << " warm-up run(s), convlab's and its peer's runs taken in turns. "
      << "convlab/peer is the ratio of times: below 1, convlab is faster. Other processes sharing the machine "
         "make single runs noisy; in turns, both sides meet the same noise.\n\n";
    for (const std::string& part : cpus) s << part << (part.size() >= 2 && part.substr(part.size() - 2) == "\n\n" ? "" : "\n");
    s << general_sections();
    for (const std::string& part : others) s << "\n" << part;
    return s.str();
}

}  // namespace

int main(int argc, char** argv) {
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (std::strcmp(argv[i], "--style-peak-memory") == 0 && i + 1 < argc) {  // the child's side
            return style_peak_memory(std::atoll(argv[i + 1]));
        } else {
            std::cerr << "usage: bench_speed [--only <part of a figure name>]\n";
            return 2;
        }
    }
    try {
        const double load_before = load_average();
        const OpenBlas openblas;  // before any thread starts: it forks to ask OpenBLAS about the CPU
        const TorchPeer torch;
        const std::string machine = machine_description(), date = now_string();
        char ceilings[200];
        std::snprintf(ceilings, sizeof ceilings,
                      "Ceilings measured in this run: multiply-add peak %.0f GFLOP/s on 1 thread, %.0f on 2; "
                      "memory read %.1f GB/s (1 thread, 256 MB)",
                      fma_peak_gflops(1), fma_peak_gflops(2), memory_read_gbs());
        std::vector<std::string> notes = {ceilings, openblas.note(), torch.note()};
        std::cout << "convlab benchmarks, " << date << "\n" << machine << "\n";
        for (const std::string& n : notes) std::cout << n << "\n";
        std::cout << "\n" << table_header();

        std::vector<Row> rows;
        gemm_figures(openblas, only, rows);
        network_figures(torch, only, rows);
        std::optional<MemoryRow> memory;
        if (wanted("style iteration " + std::to_string(kMemorySize) + " memory", only)) {
            memory = memory_figure(torch);
            std::cout << "\n" << memory_table(*memory);
        }

        std::cout << "\n" << targets(rows, memory ? &*memory : nullptr);
        if (!only.empty()) return 0;  // a partial run does not replace the report
        const std::string cpus = std::to_string(std::thread::hardware_concurrency());
        notes.push_back(format("Load average (1 min) %.1f when the run started, ", load_before) +
                        format("%.1f when it ended, on ", load_average()) + cpus +
                        " CPUs: above that, other processes were competing with the benchmark");
        std::filesystem::create_directories("docs");
        std::filesystem::create_directories("out");
        const std::string page = "docs/benchmarks.md";
        const std::string model = machine.substr(0, machine.find(", "));  // the description opens with it
        write_file_atomic(page, benchmarks_page(std::filesystem::exists(page) ? read_file(page) : "", model,
                                                cpu_section(model, rows, *memory, machine, date, notes)));
        write_file_atomic("out/bench.json", json(rows, machine, date, memory_json(*memory)));
        std::cout << "\nwrote the section \"" << kCpuHeading << model << "\" of docs/benchmarks.md and out/bench.json\n";
    } catch (const std::exception& e) {
        std::cerr << "bench_speed: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
