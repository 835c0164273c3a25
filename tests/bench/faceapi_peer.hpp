// tests/bench/faceapi_peer.hpp
//
// face-api 1.7.15 (tfjs 4.22, WebAssembly backend, in node) as the peer of the pretrained face figures:
// tests/bench/peer_faceapi.js in a node child process, one process per thread count, which times one run of
// a figure when asked (the orders of peer_torch.py). Never a build dependency: skipped with a note when
// there is no node, or no package in build/face-api-peer/ (`make face-api-peer` installs it with npm).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tests/bench/child_process.hpp"
#include "tests/bench/machine.hpp"

namespace bench {

class FaceApiPeer {
public:
    FaceApiPeer() {
        const std::filesystem::path here = std::filesystem::path(__FILE__).parent_path();
        script_ = (here / "peer_faceapi.js").string();
        modules_ = (here / "../../build/face-api-peer/node_modules").lexically_normal().string();
        const std::string node = command_output("node --version");
        if (!std::filesystem::exists(script_)) {
            note_ = "face-api: " + script_ + " not found (run from the repository root): peer skipped";
        } else if (node.empty()) {
            note_ = "face-api: no node here (apt-get install nodejs npm, then make face-api-peer): peer skipped";
        } else if (!std::filesystem::exists(modules_ + "/@vladmandic/face-api/package.json")) {
            note_ = "face-api: not installed in " + modules_ + " (make face-api-peer): peer skipped";
        } else {
            node_version_ = node.substr(0, node.find('\n'));
        }
    }

    bool available() const { return !node_version_.empty(); }
    const std::string& note() const { return note_; }

    // peer_faceapi.js --serve on `threads` threads, reading the photo and the face from raw RGB files
    // ("FILE:WxH"); null when the peer is not available.
    std::unique_ptr<ChildProcess> serve(int threads, const std::string& photo, const std::string& face) const {
        if (!available()) return nullptr;
        return std::make_unique<ChildProcess>("node '" + script_ + "' --serve --modules '" + modules_ +
                                              "' --threads " + std::to_string(threads) + " --photo '" + photo +
                                              "' --face '" + face + "'");
    }

    // What the server runs: versions, build of the backend (SIMD, threaded) and the size of its thread pool.
    static std::string info(ChildProcess& server) {
        const std::string answer = server.ask("info");
        return answer.rfind("INFO\t", 0) == 0 ? answer.substr(5) : "face-api: the peer did not start";
    }

    // Sets `figure` up (and warms it up) in a server from serve(); false when it cannot.
    static bool setup(ChildProcess& server, const std::string& figure) {
        return server.ask("setup " + figure) == "READY";
    }

    // Seconds of one run of the figure set up last, as the server measured it; -1 if it failed.
    static double time_once(ChildProcess& server) {
        const std::string answer = server.ask("time");
        return answer.rfind("TIME\t", 0) == 0 ? std::stod(answer.substr(5)) : -1.0;
    }

private:
    std::string script_, modules_, node_version_, note_;
};

}  // namespace bench
