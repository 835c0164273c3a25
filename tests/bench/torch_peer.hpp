// tests/bench/torch_peer.hpp
//
// PyTorch (CPU) as the peer of the network figures: tests/bench/peer_torch.py runs the same models in a
// python3 child process, one process per thread count, which times one run of a figure when asked.
// Never a build dependency: skipped with a note when no python3 on this machine can `import torch`.
//
// The child runs under GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184, so
// glibc keeps freed memory instead of returning it to the system: PyTorch's default CPU allocator would
// otherwise fault fresh pages in every iteration (~3 ms per MB on this machine). That is its fair best,
// as convlab's caching allocator does the same.
#pragma once

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "tests/bench/child_process.hpp"
#include "tests/bench/harness.hpp"
#include "tests/bench/machine.hpp"

namespace bench {

class TorchPeer {
public:
    TorchPeer() {
        script_ = (std::filesystem::path(__FILE__).parent_path() / "peer_torch.py").string();
        if (!std::filesystem::exists(script_)) {
            note_ = "PyTorch: " + script_ + " not found (run from the repository root): peer skipped";
            return;
        }
        // The first python3 on PATH may be another installation than the one apt put torch into.
        for (const char* python : {"python3", "/usr/bin/python3"}) {
            const std::string version =
                command_output(std::string(python) + " -c 'import torch; print(torch.__version__)'");
            if (!version.empty()) {
                python_ = python;
                note_ = "PyTorch " + version.substr(0, version.find('\n')) + " (" + python_ + ")";
                return;
            }
        }
        note_ = "PyTorch: no python3 here can import torch (apt-get install python3-torch python3-torchvision): "
                "peer skipped";
    }

    bool available() const { return !python_.empty(); }
    const std::string& note() const { return note_; }

    // peer_torch.py --serve on `threads` threads, to time figures in turns with convlab's runs (harness.hpp);
    // null when the peer is not available.
    std::unique_ptr<ChildProcess> serve(int threads) const {
        if (!available()) return nullptr;
        return std::make_unique<ChildProcess>(environment(threads) + python_ + " " + script_ + " --threads " +
                                              std::to_string(threads) + " --serve");
    }

    // Sets `figure` up in a server from serve(); false when it cannot (its reason is on stderr).
    static bool setup(ChildProcess& server, const std::string& figure) { return server.ask("setup " + figure) == "READY"; }

    // Seconds of one run of the figure set up last, as the server measured it; -1 if it failed.
    static double time_once(ChildProcess& server) {
        const std::string answer = server.ask("time");
        return answer.rfind("TIME\t", 0) == 0 ? std::stod(answer.substr(5)) : -1.0;
    }

    // Resident set (KB) before `figure` is set up and at the peak of two runs, on `threads` threads;
    // {-1, -1} when the peer is not available.
    std::pair<double, double> peak_memory_kb(int threads, const std::string& figure) const {
        if (!available()) return {-1.0, -1.0};
        std::istringstream out(command_output(environment(threads) + python_ + " " + script_ + " --threads " +
                                              std::to_string(threads) + " --peak-memory '" + figure + "'"));
        std::string tag;
        double base = -1.0, peak = -1.0;
        if (out >> tag >> base >> peak && tag == "MEMORY") return {base, peak};
        return {-1.0, -1.0};
    }

private:
    static std::string environment(int threads) {
        return "GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=17179869184 OMP_NUM_THREADS=" +
               std::to_string(threads) + " ";
    }

    std::string script_, python_, note_;
};

}  // namespace bench
