// tests/app/test_bad_inputs.cpp
//
// Every program, fed bad input, stops with ONE clear line on stderr naming the problem and a non-zero exit
// status (1: an error it reported, never a crash or a signal), and leaves files already on disk alone.
// The programs are the ones built beside this test binary (build/bin or build-san/bin).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "face/database.hpp"
#include "io/atomic_file.hpp"
#include "io/checkpoint.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"

namespace fs = std::filesystem;
using namespace convlab;

namespace {

const std::vector<std::string> kPrograms{"01_one_shot_learning", "02_siamese_network", "03_triplet_loss",
                                         "04_face_verification",  "05_what_convnets_learn", "06_nst_cost_function",
                                         "07_content_cost",      "08_style_cost",       "09_neural_style_transfer",
                                         "10_conv1d_ecg",        "11_conv3d_volumes",   "face"};

struct Run {
    int status;          // exit status, or 128 + signal
    std::string stderr;  // what the program wrote there
    int stderr_lines() const { return static_cast<int>(std::count(stderr.begin(), stderr.end(), '\n')); }
};

fs::path bin_dir() { return fs::read_symlink("/proc/self/exe").parent_path(); }

// A scratch folder for this process, removed at exit.
const fs::path& scratch() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("convlab_bad_inputs_" + std::to_string(::getpid()));
        fs::create_directories(d);
        std::atexit([] { std::error_code ec; fs::remove_all(fs::temp_directory_path() / ("convlab_bad_inputs_" + std::to_string(::getpid())), ec); });
        return d;
    }();
    return dir;
}

// Runs `program args` (time-limited), stdout discarded, from a scratch working directory so that nothing of
// the repository (out/) is touched.
Run run(const std::string& program, const std::string& args) {
    const fs::path err = scratch() / "stderr.txt";
    const std::string cmd = "cd '" + scratch().string() + "' && timeout 120 '" + (bin_dir() / program).string() + "' " +
                            args + " > /dev/null 2> '" + err.string() + "'";
    const int raw = std::system(cmd.c_str());
    Run r{WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw), read_file(err.string())};
    return r;
}

void expect_one_line_error(const std::string& program, const std::string& args, const std::string& fragment) {
    const Run r = run(program, args);
    INFO(program << " " << args << "\n  stderr: " << r.stderr);
    CHECK(r.status == 1);
    CHECK(r.stderr_lines() == 1);
    CHECK(r.stderr.rfind(program + ": error: ", 0) == 0);
    CHECK(r.stderr.find(fragment) != std::string::npos);
}

// Folders of faces: `people` people with 2 photos each, drawn as small random grey images.
fs::path face_folder(const std::string& name, int people) {
    const fs::path dir = scratch() / name;
    Rng rng(5);
    for (int p = 1; p <= people; ++p) {
        fs::create_directories(dir / ("s" + std::to_string(p)));
        for (int k = 1; k <= 2; ++k)
            save_pnm((dir / ("s" + std::to_string(p)) / (std::to_string(k) + ".pgm")).string(),
                     Tensor::rand({1, 56, 46}, rng));
    }
    return dir;
}

void write_text(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("every program: unknown option, malformed and out-of-range values" * doctest::test_suite("app.bad_inputs")) {
    for (const std::string& p : kPrograms) {
        expect_one_line_error(p, "--no-such-option", "unknown option --no-such-option");
        expect_one_line_error(p, "--threads 5000", "--threads");
        expect_one_line_error(p, "--seed twelve", "--seed");
    }
}

TEST_CASE("training programs: --checkpoint-every out of range or not a number" * doctest::test_suite("app.bad_inputs")) {
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "05_what_convnets_learn", "10_conv1d_ecg", "11_conv3d_volumes", "face eval"}) {
        const std::string program = p.substr(0, p.find(' ')), command = p.substr(program.size());
        expect_one_line_error(program, command + " --checkpoint-every -1",
                              "--checkpoint-every: expected an integer in [0, 1000000], got '-1'");
        expect_one_line_error(program, command + " --checkpoint-every often", "got 'often'");
    }
}

TEST_CASE("chapters 01, 02, 05: --resume from a truncated or foreign checkpoint; the file is left as it was" *
          doctest::test_suite("app.bad_inputs")) {
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "05_what_convnets_learn"}) {
        const fs::path out = scratch() / ("resume_" + p), ckpt = out / "train_encoder.ckpt";
        fs::create_directories(out);
        // 05 trains an encoder (and so reads the checkpoint) only when its --face-model is missing
        const std::string args = "--quick --resume --out " + out.string() +
                                 (p == "05_what_convnets_learn" ? " --face-model none.ckpt" : "");

        save_checkpoint(ckpt.string(), {{"model.net.0.weight", Tensor::ones({8, 1, 3, 3})}});
        const std::string foreign = read_file(ckpt.string());
        expect_one_line_error(p, args, "tensor 'train.step' is missing");
        CHECK(read_file(ckpt.string()) == foreign);

        write_text(ckpt, foreign.substr(0, foreign.size() / 2));
        expect_one_line_error(p, args, "train_encoder.ckpt': truncated file");
        CHECK(read_file(ckpt.string()) == foreign.substr(0, foreign.size() / 2));
    }
}

TEST_CASE("face and ECG chapters: missing, empty and broken data folders" * doctest::test_suite("app.bad_inputs")) {
    const fs::path empty = scratch() / "empty";
    fs::create_directories(empty);
    const fs::path broken = face_folder("broken", 8);
    write_text(broken / "s3" / "2.pgm", "P5\n46 56\n255\n" + std::string(100, 'x'));  // cut short
    const fs::path not_image = face_folder("not_image", 8);
    write_text(not_image / "s5" / "1.pgm", "this is not an image\n");
    for (const std::string p : {"01_one_shot_learning", "02_siamese_network", "03_triplet_loss", "04_face_verification",
                                "05_what_convnets_learn"}) {
        expect_one_line_error(p, "--quick --data /no/such/folder", "/no/such/folder");
        expect_one_line_error(p, "--quick --data " + empty.string(), "0 person subfolders");
        expect_one_line_error(p, "--quick --data " + broken.string(), "s3/2.pgm: truncated PGM");
        expect_one_line_error(p, "--quick --data " + not_image.string(), "s5/1.pgm");
    }
    const fs::path ecg = scratch() / "ecg";
    write_text(ecg / "ECG200_TRAIN.txt", "1 0.5 0.25 0.125\n-1 0.5 oops 0.125\n");
    write_text(ecg / "ECG200_TEST.txt", "1 0.5 0.25 0.125\n");
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + ecg.string(), "line 2");
    expect_one_line_error("10_conv1d_ecg", "--quick --data " + empty.string(), "ECG200_TRAIN.txt");
}

TEST_CASE("style-transfer chapters: missing image, not an image, wrong weights" * doctest::test_suite("app.bad_inputs")) {
    const fs::path text = scratch() / "photo.png";
    write_text(text, "not a PNG\n");
    const fs::path weights = scratch() / "vgg19.weights";
    save_checkpoint(weights.string(), {{"conv1_1.weight", Tensor::zeros({2, 3, 3, 3})}});
    for (const std::string p : {"06_nst_cost_function", "07_content_cost", "09_neural_style_transfer"}) {
        expect_one_line_error(p, "--quick --content /no/such/photo.jpg", "/no/such/photo.jpg");
        expect_one_line_error(p, "--quick --content " + text.string(), "photo.png");
        expect_one_line_error(p, "--quick --weights " + weights.string(), "vgg19.weights");
    }
    expect_one_line_error("08_style_cost", "--quick --style /no/such/painting.jpg", "/no/such/painting.jpg");
    expect_one_line_error("08_style_cost", "--quick --weights /no/such/file.weights", "/no/such/file.weights");
}

TEST_CASE("face tool: missing model, missing or corrupted database, unreadable photo; files unchanged" *
          doctest::test_suite("app.bad_inputs")) {
    const fs::path faces = face_folder("tool_faces", 2);
    const std::string photo = (faces / "s1" / "1.pgm").string();
    expect_one_line_error("face", "identify --db x.db --model /no/such/model.ckpt " + photo, "/no/such/model.ckpt");

    // a corrupted database: the tool refuses it and leaves its bytes as they were
    const fs::path db = scratch() / "office.db";
    write_text(db, "convlab-face-db 1\ndim 4\nentries 5\nkian\tk.png\t1 2\n");
    const std::string before = read_file(db.string());
    const fs::path model = scratch() / "no_model.ckpt";
    expect_one_line_error("face", "identify --db " + db.string() + " --model " + model.string() + " " + photo,
                          model.string());
    expect_one_line_error("face", "verify --db /no/such.db --name kian --model " + model.string() + " " + photo,
                          "no_model.ckpt");
    CHECK(read_file(db.string()) == before);
    expect_one_line_error("face", "frobnicate", "frobnicate");
}
