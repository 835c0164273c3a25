// chapters/04_face_verification/tool_face.cpp -> build/bin/face
//
// A small face tool built on the chapters: enrol people once, then identify (1:K) and verify (1:1) any
// number of photos against the enrolment database; find and describe faces; or evaluate the whole method.
// docs/face-tool.md has the formats; face_tool.hpp what each command does.
//
//   face enroll NAME PHOTO|DIR...     add NAME's photos, one face each, to the database (--db, else faces.db)
//   face enroll --people DIR          everyone in DIR: DIR/<name>/<photos> or DIR/<name>.jpg
//   face identify PHOTO|DIR...        who is each face? CSV photo,face_index,name,distance (or --json)
//   face verify NAME PHOTO|DIR...     is each face NAME? the same CSV
//   face list | face remove NAME      the people and their photos, the model | forget someone
//   face detect PHOTO|DIR...          every face's box and score
//   face describe PHOTO|DIR...        ... and its 68 landmarks and 128-d descriptor
//   face eval [--model pretrained] [--data DIR]   the k-fold protocol (face_eval.hpp)
//
// The model (face_method.hpp): the pretrained networks when they are there, else the encoder of chapter 03
// (--model pretrained or --model FILE to choose); one line on stderr says which.
// Exit status: 0 when every face matched, 1 when some did not, 2 on an error.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

#include "app/main_guard.hpp"
#include "app/options.hpp"
#include "chapters/04_face_verification/face_eval.hpp"
#include "chapters/04_face_verification/face_output.hpp"
#include "chapters/04_face_verification/face_tool.hpp"
#include "core/error.hpp"
#include "face/pretrained/models.hpp"
#include "io/json.hpp"
#include "io/progress.hpp"

using namespace convlab;

namespace {

constexpr size_t kProgressFrom = 10;  // photos: a progress line on stderr from this many on

const char* const kCommands = "enroll, identify, verify, list, remove, detect, describe or eval";

const char* const kUsage = "COMMAND [NAME] [PHOTO|DIR...]";

const char* const kCommandHelp =
    "COMMAND is one of\n"
    "      enroll NAME PHOTO|DIR...   add NAME's photos (one face each; --largest for the largest of several)\n"
    "      enroll --people DIR        everyone in DIR: DIR/<name>/<photos>, or DIR/<name>.jpg\n"
    "      identify PHOTO|DIR...      who is each face? one CSV line per (photo, face): photo,face_index,name,distance\n"
    "      verify NAME PHOTO|DIR...   is each face NAME? the same CSV (name: NAME, or unknown)\n"
    "      list                       the people, photos per person, the model\n"
    "      remove NAME                forget NAME\n"
    "      detect PHOTO|DIR...        every face's box and score (CSV photo,face_index,x,y,width,height,score)\n"
    "      describe PHOTO|DIR...      every face's box, score, 68 landmarks and descriptor\n"
    "      eval                       the identity-disjoint 4-fold protocol: encoders trained here, or with\n"
    "                                 --model pretrained --data DIR the pretrained networks\n"
    "      A DIR stands for every photo below it. The database (--db) names the model that made it and\n"
    "      refuses another. Exit status: 0 when every face matched (identify: was someone enrolled; verify:\n"
    "      was NAME), 1 when some face did not (or a photo had none; detect, describe: a photo had none),\n"
    "      2 on an error (one line on stderr).";

// Everything on the command line of `face`.
struct ToolOptions {
    std::string db = "faces.db", name, model, models, people;
    double tau = -1;
    bool json = false, largest = false, force = false;
    EvalOptions eval;

    void declare(app::Options& options) {
        options.positional_usage(kUsage, kCommandHelp);
        options.text("db", &db, "the enrolment database file");
        options.text("name", &name, "the person to enrol, verify or remove (instead of NAME)");
        options.text("model", &model, "'pretrained' (face-api's networks), or an encoder FILE written by "
                     "03_triplet_loss (none: pretrained when the networks are in the models folder, else "
                     "out/03_triplet_loss/encoder.ckpt)");
        options.text("models", &models, "the pretrained networks' folder (none: $CONVLAB_MODELS, else data/models)");
        options.number("tau", &tau, "same person when d <= tau (-1: the model's, 0.6 for the pretrained "
                       "networks (dlib's), an encoder's own)", -1, 1000);
        options.number("tolerance", &tau, "the same as --tau (face_recognition's name)", -1, 1000);
        options.flag("json", &json, "identify, verify, list, detect, describe: a JSON array instead of CSV");
        options.text("people", &people, "enroll: a folder of people (DIR/<name>/... or DIR/<name>.jpg)");
        options.flag("largest", &largest, "enroll: a photo with several faces gives its largest");
        options.flag("force", &force, "enroll: a photo already enrolled under another name is enrolled again");
        eval.declare(options);
    }
};

// The arguments after the command, checked against what the command takes, before any work.
struct Command {
    std::string name;               // enroll, identify, ...
    std::string person;             // NAME
    std::vector<std::string> args;  // PHOTO|DIR...
};

// The usage line of one command, for its errors: "(usage: face [options] remove NAME)".
std::string command_usage(const std::string& cmd, bool people) {
    const std::string args = cmd == "list" || cmd == "eval" ? ""
                             : people                       ? " --people DIR"
                             : cmd == "remove"              ? " NAME"
                             : cmd == "enroll" || cmd == "verify" ? " NAME PHOTO|DIR..."
                                                                  : " PHOTO|DIR...";
    return " (usage: face [options] " + cmd + args + "; see --help)";
}

// Options that only `face eval` reads, and options that only the other commands read.
const std::vector<std::string> kEvalOnly = {"quick", "out", "seed", "epochs", "mining", "alpha", "far",
                                            "validate", "folds", "checkpoint-every", "resume"};
const std::vector<std::string> kNotEval = {"db", "name", "tau", "tolerance"};

Command parse_command(std::vector<std::string> args, const ToolOptions& o, const app::Options& options,
                      const app::CommonOptions& common) {
    check(!args.empty(), "expected a command: ", kCommands, " (see --help)");
    Command c{args[0], "", {args.begin() + 1, args.end()}};
    const std::string& cmd = c.name;
    check(cmd == "enroll" || cmd == "identify" || cmd == "verify" || cmd == "list" || cmd == "remove" ||
              cmd == "detect" || cmd == "describe" || cmd == "eval",
          "unknown command \"", cmd, "\" (expected ", kCommands, ")");
    for (const std::string& name : cmd == "eval" ? kNotEval : kEvalOnly)
        check(!options.given(name), cmd, ": --", name, cmd == "eval" ? " is not for eval" : " is for eval only",
              command_usage(cmd, false));
    check(cmd == "enroll" || (o.people.empty() && !o.largest && !o.force), cmd,
          ": --people, --largest and --force are for enroll only");
    check(!o.json || (cmd != "enroll" && cmd != "remove" && cmd != "eval"), cmd, ": --json is for identify, verify, "
          "list, detect and describe");
    check(cmd == "eval" || common.data.empty(), cmd, ": --data is for eval; give photos and folders as arguments");
    const bool named = cmd == "verify" || cmd == "remove" || (cmd == "enroll" && o.people.empty());
    check(named || o.name.empty(), cmd, ": takes no --name");
    if (named && o.name.empty()) {
        check(!c.args.empty(), cmd, ": expected a NAME", cmd == "remove" ? "" : " and photos",
              command_usage(cmd, false));
        c.person = c.args[0];
        c.args.erase(c.args.begin());
    } else if (named) {
        c.person = o.name;
    }
    if (cmd == "list" || cmd == "eval" || cmd == "remove" || !o.people.empty())
        check(c.args.empty(), cmd, o.people.empty() ? "" : " --people", ": unexpected argument \"",
              c.args.empty() ? "" : c.args[0], "\"", command_usage(cmd, !o.people.empty()));
    else
        check(!c.args.empty(), cmd, ": expected photos or folders of photos", command_usage(cmd, false));
    check(cmd != "eval" || o.model.empty() || o.model == kPretrained, "eval: --model takes only 'pretrained' here (the "
          "protocol trains its own encoders), got \"", o.model, "\"");
    const bool pretrained_eval = cmd == "eval" && o.model == kPretrained;
    check(!pretrained_eval || !common.data.empty(), "eval --model pretrained needs --data DIR (one subfolder per "
          "person, e.g. ../shared/data/att_faces): the built-in synthetic faces mean nothing to a net trained on "
          "real photos");
    check(!pretrained_eval || o.eval.validate == 0, "eval --model pretrained: --validate chooses the settings of a "
          "training run, and nothing is trained here");
    return c;
}

// A progress line on stderr for long lists of photos.
struct PhotoProgressLine {
    std::unique_ptr<Progress> line;
    PhotoProgressLine(const std::string& label, size_t photos) {
        if (photos >= kProgressFrom)
            line = std::make_unique<Progress>(label, int64_t(photos), std::max<int64_t>(1, int64_t(photos) / 10),
                                              std::cerr, ::isatty(2) != 0);
    }
    PhotoProgress callback() {
        return [this](size_t done, size_t) {
            if (line) line->update(int64_t(done));
        };
    }
    void done() {
        if (line) line->done();
    }
};

FaceMethod load_method(const ToolOptions& o) {
    const FaceMethod method = FaceMethod::load({o.model, o.models}, o.tau);
    std::fprintf(stderr, "face: model: %s; tau %.3f\n", method.description().c_str(), method.tau);
    return method;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int enroll(const Command& c, const ToolOptions& o) {
    const std::vector<PersonPhotos> people =
        o.people.empty() ? std::vector<PersonPhotos>{{c.person, expand_photos(c.args)}} : people_folder(o.people);
    const FaceMethod method = load_method(o);
    size_t photos = 0;
    for (const PersonPhotos& p : people) photos += p.photos.size();
    PhotoProgressLine progress("enroll", photos);
    const EnrollResult r = enroll_people(o.db, people, method, {o.largest, o.force}, progress.callback());
    progress.done();
    for (const std::string& w : r.warnings) std::fprintf(stderr, "face: warning: %s\n", w.c_str());
    for (const PersonPhotos& p : people)
        std::printf("enrolled %s: %lld photo(s) in the database\n", p.name.c_str(),
                    static_cast<long long>(r.db.photos_of(p.name)));
    std::printf("%s: %lld photos of %zu people (no retraining); %d added now\n", o.db.c_str(),
                static_cast<long long>(r.db.size()), r.db.people().size(), r.added);
    return 0;
}

int query(const Command& c, const ToolOptions& o) {
    const std::vector<std::string> photos = expand_photos(c.args);
    const FaceMethod method = load_method(o);
    const auto start = std::chrono::steady_clock::now();
    PhotoProgressLine progress(c.name, photos.size());
    const std::vector<FaceMatch> matches = c.name == "identify"
                                               ? identify_photos(o.db, photos, method, progress.callback())
                                               : verify_photos(o.db, c.person, photos, method, progress.callback());
    progress.done();
    const double seconds = seconds_since(start);
    std::vector<std::string> json;
    if (!o.json) std::printf("%s\n", kMatchCsvHeader);
    int matched = 0, faceless = 0;
    for (const FaceMatch& m : matches) {
        if (o.json) json.push_back(match_json(m, method.detects()));
        else std::printf("%s\n", match_csv(m).c_str());
        if (m.face < 0) std::fprintf(stderr, "face: no face found in %s\n", m.photo.c_str());
        matched += m.match, faceless += m.face < 0;
    }
    if (o.json) std::fputs(json_array(json).c_str(), stdout);
    std::fflush(stdout);
    std::fprintf(stderr, "face: %d of %zu faces %s (tau %.3f)%s; %zu photos in %.1f s, %.3f s per photo\n", matched,
                 matches.size() - size_t(faceless), c.name == "identify" ? "identified" : ("are " + c.person).c_str(),
                 method.tau, faceless ? (", " + std::to_string(faceless) + " photo(s) with no face").c_str() : "",
                 photos.size(), seconds, seconds / double(photos.size()));
    return query_status(matches);
}

int list_cmd(const ToolOptions& o) {
    const FaceDatabase db = load_database(o.db);
    const std::vector<std::string> people = db.people();
    if (o.json) {
        std::vector<std::string> items;
        for (const std::string& p : people)
            items.push_back("{\"name\": " + json_quote(p) + ", \"photos\": " + std::to_string(db.photos_of(p)) + "}");
        std::printf("{\"db\": %s, \"model\": %s, \"fingerprint\": %s, \"people\": %s}\n", json_quote(o.db).c_str(),
                    json_quote(db.model).c_str(), json_quote(db.fingerprint).c_str(),
                    json_array(items).substr(0, json_array(items).size() - 1).c_str());
        return 0;
    }
    std::printf("%s: %zu people, %lld photos; model: %s (fingerprint %s)\n", o.db.c_str(), people.size(),
                static_cast<long long>(db.size()), db.model.empty() ? "none yet" : db.model.c_str(),
                db.fingerprint.empty() ? "-" : db.fingerprint.c_str());
    std::printf("name,photos\n");
    for (const std::string& p : people)
        std::printf("%s,%lld\n", csv_field(p).c_str(), static_cast<long long>(db.photos_of(p)));
    return 0;
}

int remove_cmd(const Command& c, const ToolOptions& o) {
    const int64_t before = load_database(o.db).photos_of(c.person);
    const FaceDatabase db = remove_person(o.db, c.person);
    std::printf("removed %s (%lld photos); %s: %lld photos of %zu people\n", c.person.c_str(),
                static_cast<long long>(before), o.db.c_str(), static_cast<long long>(db.size()), db.people().size());
    return 0;
}

// detect and describe: every face of every photo; 1 when some photo has none.
int find_faces(const Command& c, const ToolOptions& o) {
    const std::vector<std::string> photos = expand_photos(c.args);
    const FaceMethod method = load_method(o);
    check(method.detects(), c.name, ": the from-scratch encoder ", method.name(), " finds no faces (it takes the "
          "whole photo): get the pretrained networks with make face-models, or pass --models DIR");
    const bool describe = c.name == "describe";
    PhotoProgressLine progress(c.name, photos.size());
    std::vector<std::string> json;
    int status = 0;
    if (!o.json && !describe) std::printf("%s\n", kDetectCsvHeader);
    for (size_t i = 0; i < photos.size(); ++i) {
        const std::vector<FaceRecord> faces = method.faces(photos[i]);
        if (faces.empty()) std::fprintf(stderr, "face: no face found in %s\n", photos[i].c_str()), status = 1;
        if (o.json) json.push_back(photo_faces_json(photos[i], faces, describe));
        for (size_t k = 0; k < faces.size() && !o.json; ++k) {
            if (!describe) {
                std::printf("%s\n", detection_csv(photos[i], int(k), faces[k]).c_str());
                continue;
            }
            const Box& b = faces[k].detection.box;
            std::printf("%s face %zu: box x %.2f y %.2f width %.2f height %.2f, score %.4f\n  landmarks (x y):",
                        photos[i].c_str(), k, b.x, b.y, b.width, b.height, faces[k].detection.score);
            for (const Point& p : faces[k].landmarks) std::printf("  %.2f %.2f", p.x, p.y);
            std::printf("\n  descriptor (%zu):", faces[k].descriptor.size());
            for (float v : faces[k].descriptor) std::printf(" %.6f", v);
            std::printf("\n");
        }
        if (progress.line) progress.callback()(i + 1, photos.size());
    }
    progress.done();
    if (o.json) std::fputs(json_array(json).c_str(), stdout);
    return status;
}

int eval(ToolOptions& o, const app::CommonOptions& common) {
    const ProtocolConfig config = o.eval.config(common);
    if (o.model != kPretrained) {
        std::fprintf(stderr, "face: model: encoders trained from scratch on each fold (--model pretrained for "
                     "face-api's networks)\n");
        return eval_trained(common, config);
    }
    const std::string dir = face_models_dir(o.models);
    std::fprintf(stderr, "face: model: pretrained face-api networks from %s\n", dir.c_str());
    check(pretrained_models_in(dir), "eval: the pretrained face networks are not in ", dir,
          ": run make face-models, or pass --models DIR");
    return eval_pretrained(common, dir, config);
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main(
        "face",
        [&] {
            ToolOptions o;
            app::Options options("face", "Enrol people, then identify and verify faces in photos; find and describe "
                                         "faces; evaluate the method on a data set.");
            o.declare(options);
            app::CommonOptions& common = options.common();
            if (!options.parse(argc, argv)) return 0;
            const Command c = parse_command(options.positional(), o, options, common);
            if (c.name == "enroll") return enroll(c, o);
            if (c.name == "identify" || c.name == "verify") return query(c, o);
            if (c.name == "list") return list_cmd(o);
            if (c.name == "remove") return remove_cmd(c, o);
            if (c.name == "detect" || c.name == "describe") return find_faces(c, o);
            return eval(o, common);
        },
        /*error_status=*/2);
}
