// tests/tools/demo_report.cpp
//
// build/bin/demo_report: the page `make demo` ends with. For each chapter folder OUT/NN_name it shows the
// chapter's title (the first line of chapters/NN_name/README.md), its metrics.json as a table, and every PNG
// in the folder with one sentence on what to look for (figure_captions.cpp), once.
//
//   build/bin/demo_report [--out out] [--chapters chapters]      ->  out/index.html
//
// Values: strings whole; whole numbers in full (seeds, sizes); any other number to 4 significant digits
// (0.35000000000000003 -> 0.35, 2.1206302e-05 -> 2.121e-05); an object inside metrics.json as dotted keys
// ("options.lr"). Figures: one narrower than 512 px (a frame in a strip: 160 px) is shown k <= 6 times larger
// (k whole, the pixels kept square: image-rendering pixelated); numbered files of one name (frame_0005.png,
// frame_0010.png, ...) form one strip, each frame labelled with its number; a file with the same bytes as one
// already shown is left out and named in that one's caption (result.png is also the last frame_NNNN.png), and
// so is a file whose image a grid of the chapter already shows (figure_captions.cpp: frame_0005.png is in
// frames.png).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "app/main_guard.hpp"
#include "app/options.hpp"
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/json.hpp"
#include "tests/tools/figure_captions.hpp"

namespace fs = std::filesystem;
using namespace convlab;

namespace {

// Figures narrower than this are scaled up to at least this width (pixels), at most kMaxScale times, within the
// page's width and kMaxHeight.
constexpr int kFigureWidth = 512, kFrameWidth = 160;  // a figure of its own, a frame in a strip
constexpr int kMaxScale = 6, kMaxWidth = 1000, kMaxHeight = 512;

struct Figure {
    std::string file;                  // path inside the chapter's folder
    std::string bytes;                 // the PNG file
    int width = 0, height = 0;         // pixels
    std::string number;                // in a strip: the frame's number ("5" for frame_0005.png)
    std::vector<std::string> same_as;  // files with the same bytes, not shown again
};

// One figure, or a strip of numbered ones (frame_0005.png, frame_0010.png, ...).
struct Panel {
    std::string name;  // the file, or the strip's pattern "frame_*.png"
    std::vector<Figure> figures;
    bool strip = false;
    std::vector<std::string> parts;  // files whose images this grid holds, not shown on their own
};

std::string html_escape(const std::string& s) {
    std::string r;
    for (const char c : s) {
        if (c == '&') r += "&amp;";
        else if (c == '<') r += "&lt;";
        else if (c == '>') r += "&gt;";
        else if (c == '"') r += "&quot;";
        else r += c;
    }
    return r;
}

// A relative path as a URL: every byte but letters, digits and -._~/@ percent-encoded.
std::string url_path(const std::string& path) {
    std::string r;
    for (const unsigned char c : path) {
        if (std::isalnum(c) || std::string("-._~/@").find(static_cast<char>(c)) != std::string::npos) {
            r += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            r += hex;
        }
    }
    return r;
}

// x for the page: whole numbers below 10^15 in full, others to 4 significant digits.
std::string number_text(double x) {
    char text[32];
    std::snprintf(text, sizeof text, std::nearbyint(x) == x && std::fabs(x) < 1e15 ? "%.0f" : "%.4g", x);
    return text;
}

// A metrics.json value as text: strings as they are, arrays as [a, b], objects as {key: value, ...}.
std::string value_text(const JsonValue& v) {
    std::string r;
    switch (v.kind()) {
    case JsonValue::Kind::Null: return "null";
    case JsonValue::Kind::Bool: return v.as_bool() ? "true" : "false";
    case JsonValue::Kind::Number: return number_text(v.as_number());
    case JsonValue::Kind::String: return v.as_string();
    case JsonValue::Kind::Array:
        for (const JsonValue& e : v.elements()) r += (r.empty() ? "" : ", ") + value_text(e);
        return "[" + r + "]";
    case JsonValue::Kind::Object:
        for (const JsonValue::Member& m : v.members())
            r += (r.empty() ? "" : ", ") + m.first + ": " + value_text(m.second);
        return "{" + r + "}";
    }
    return r;
}

using Rows = std::vector<std::pair<std::string, std::string>>;  // (key, value) of the metrics table

// The rows of a metrics object; a member that is itself a non-empty object gives one row per member of its
// own, keyed "outer.inner".
void metric_rows(const JsonValue& object, const std::string& prefix, Rows& rows) {
    for (const JsonValue::Member& m : object.members()) {
        const std::string key = prefix.empty() ? m.first : prefix + "." + m.first;
        if (m.second.is_object() && m.second.size() > 0) metric_rows(m.second, key, rows);
        else rows.emplace_back(key, value_text(m.second));
    }
}

std::string metrics_table(const fs::path& file) {
    if (!fs::exists(file)) return "<p><b>no metrics.json</b></p>\n";
    const JsonValue metrics = parse_json(read_file(file.string()), file.string());
    check(metrics.is_object(), file.string(), ": expected one JSON object of metrics, found ",
          JsonValue::kind_name(metrics.kind()));
    Rows rows;
    metric_rows(metrics, "", rows);
    std::string html = "<table><tr><th>metric</th><th>value</th></tr>\n";
    for (const auto& [key, value] : rows)
        html += "<tr><td>" + html_escape(key) + "</td><td>" + html_escape(value) + "</td></tr>\n";
    return html + "</table>\n";
}

// Width and height of a PNG, from its header: the 8-byte signature, then the IHDR chunk (length, "IHDR",
// width and height as 4-byte big-endian numbers).
std::pair<int, int> png_size(const std::string& bytes, const std::string& path) {
    check(bytes.size() >= 24 && bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0 && bytes.compare(12, 4, "IHDR") == 0,
          path, ": not a PNG file (expected the PNG signature and an IHDR chunk, found ", bytes.size(),
          " bytes that are not)");
    auto be32 = [&](size_t i) {
        uint32_t v = 0;
        for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[i + k]);
        return v;
    };
    check(be32(16) > 0 && be32(20) > 0 && be32(16) < (1u << 24) && be32(20) < (1u << 24), path,
          ": PNG of ", be32(16), " x ", be32(20), " pixels, expected 1 to 2^24 - 1 on each side");
    return {static_cast<int>(be32(16)), static_cast<int>(be32(20))};
}

// The chapter's figures: single files first, then the strips of numbered files, each in name order. A file
// that is part of a grid the chapter wrote is left to that grid; byte-identical files are shown once (the
// first one shown names the others, so result.png stays and the last frame goes).
std::vector<Panel> chapter_panels(const fs::path& dir, const std::string& chapter) {
    std::vector<std::string> files;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".png")
            files.push_back(e.path().lexically_relative(dir).generic_string());
    std::sort(files.begin(), files.end());
    std::vector<std::string> own;                           // the files shown on their own
    std::map<std::string, std::vector<std::string>> parts;  // a grid -> the files it holds
    for (const std::string& f : files) {
        const std::string grid = figure_note(chapter, f).shown_in;
        if (std::binary_search(files.begin(), files.end(), grid)) parts[grid].push_back(f);
        else own.push_back(f);
    }

    const std::regex numbered("(.*)_0*([0-9]+)\\.png");  // frame_0005.png: stem "frame", number "5"
    std::vector<Panel> singles, strips;
    std::map<std::string, size_t> strip_of_stem;
    for (const std::string& f : own) {
        Figure figure;
        figure.file = f;
        figure.bytes = read_file((dir / f).string());
        std::tie(figure.width, figure.height) = png_size(figure.bytes, (dir / f).string());
        std::smatch m;
        if (std::regex_match(f, m, numbered)) {
            figure.number = m[2];
            auto [at, added] = strip_of_stem.emplace(m[1], strips.size());
            if (added) strips.push_back(Panel{std::string(m[1]) + "_*.png", {}, true, {}});
            strips[at->second].figures.push_back(figure);
        } else {
            singles.push_back(Panel{f, {figure}, false, parts[f]});
        }
    }
    std::vector<Panel> panels;
    for (Panel& p : singles) panels.push_back(std::move(p));
    for (Panel& p : strips) panels.push_back(std::move(p));

    std::vector<Figure*> shown;  // in the panels before this one
    for (Panel& panel : panels) {
        std::vector<Figure> kept;
        for (Figure& figure : panel.figures) {
            Figure* same = nullptr;
            for (Figure* s : shown)
                if (!same && s->bytes == figure.bytes) same = s;
            for (Figure& k : kept)
                if (!same && k.bytes == figure.bytes) same = &k;
            if (same) same->same_as.push_back(figure.file);
            else kept.push_back(std::move(figure));
        }
        panel.figures = std::move(kept);
        for (Figure& figure : panel.figures) shown.push_back(&figure);
    }
    panels.erase(std::remove_if(panels.begin(), panels.end(), [](const Panel& p) { return p.figures.empty(); }),
                 panels.end());
    return panels;
}

// <img> at its own size, or k times larger (k whole) when narrower than min_width: k = ceil(min_width / width),
// less if that would pass kMaxWidth or kMaxHeight.
std::string img_tag(const std::string& chapter, const Figure& f, int min_width) {
    int k = f.width < min_width ? (min_width + f.width - 1) / f.width : 1;
    k = std::max(1, std::min({k, kMaxScale, kMaxWidth / f.width, kMaxHeight / f.height}));
    return "<img src=\"" + url_path(chapter + "/" + f.file) + "\" alt=\"" + html_escape(f.file) + "\" width=\"" +
           std::to_string(k * f.width) + "\" height=\"" + std::to_string(k * f.height) + "\"" +
           (k > 1 ? " class=\"px\"" : "") + ">";
}

// "a, b, c"
std::string joined(const std::vector<std::string>& names) {
    std::string r;
    for (const std::string& n : names) r += (r.empty() ? "" : ", ") + n;
    return r;
}

std::string panel_html(const std::string& chapter, const Panel& panel) {
    std::string html = "<figure>";
    if (panel.strip) {
        html += "<div class=\"strip\">";
        for (const Figure& f : panel.figures)
            html += "<span>" + img_tag(chapter, f, kFrameWidth) + "<br>" + f.number + "</span>";
        html += "</div>";
    } else {
        html += img_tag(chapter, panel.figures[0], kFigureWidth);
    }
    std::string caption = figure_note(chapter, panel.strip ? panel.figures[0].file : panel.name).caption;
    if (caption.empty()) caption = "A figure written by " + chapter + "; what it shows is in the chapter's README.";
    std::vector<std::string> same_as;
    for (const Figure& f : panel.figures) same_as.insert(same_as.end(), f.same_as.begin(), f.same_as.end());
    if (!same_as.empty()) caption += " (The same image is saved as " + joined(same_as) + ".)";
    if (!panel.parts.empty()) caption += " (Its images are also saved one by one: " + joined(panel.parts) + ".)";
    return html + "<figcaption><code>" + html_escape(panel.name) + "</code>: " + html_escape(caption) +
           "</figcaption></figure>\n";
}

// The first line of the chapter's README without its "# ", or the folder's name when there is none.
std::string chapter_title(const fs::path& readme, const std::string& name) {
    std::ifstream in(readme);
    std::string line;
    if (!std::getline(in, line) || line.rfind("# ", 0) != 0) return name;
    return line.substr(2);
}

std::string chapter_section(const fs::path& out, const fs::path& chapters, const std::string& name) {
    const fs::path readme = chapters / name / "README.md";
    std::string html = "<section id=\"" + html_escape(name) + "\"><h2>" +
                       html_escape(chapter_title(readme, name)) + "</h2>\n<p><code>" + html_escape(name) + "</code>";
    if (fs::exists(readme))
        html += " &middot; <a href=\"" +
                url_path(fs::relative(fs::absolute(readme), fs::absolute(out)).generic_string()) +
                "\">chapter README</a>";
    html += "</p>\n" + metrics_table(out / name / "metrics.json");
    for (const Panel& panel : chapter_panels(out / name, name)) html += panel_html(name, panel);
    return html + "</section>\n";
}

const char* kStyle =
    "body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em;line-height:1.4}"
    "table{border-collapse:collapse;margin:.5em 0 1em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
    "text-align:left;vertical-align:top}img{max-width:100%;height:auto;border:1px solid #ddd}"
    "img.px{image-rendering:pixelated}figure{margin:0 0 1.5em 0}figcaption{max-width:50em}"
    ".strip{display:flex;flex-wrap:wrap;gap:8px}.strip span{text-align:center}nav a{margin-right:1em}";

// On load, the page counts the figures that really loaded and says so at the top when one is missing; the
// headless-Chromium test reads data-images-loaded / data-images-total from the DOM.
const char* kImageCheck =
    "<script>window.addEventListener(\"load\", function () {\n"
    "  var imgs = document.images, ok = 0;\n"
    "  for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;\n"
    "  document.body.setAttribute(\"data-images-loaded\", ok);\n"
    "  document.body.setAttribute(\"data-images-total\", imgs.length);\n"
    "  if (ok < imgs.length) document.body.insertAdjacentHTML(\"afterbegin\",\n"
    "    \"<p style=\\\"color:red\\\">\" + (imgs.length - ok) + \" figure(s) failed to load</p>\");\n"
    "});</script>\n";

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
    return text;
}

}  // namespace

int main(int argc, char** argv) {
    return app::guarded_main("demo_report", [&] {
        std::string out = "out", chapters = "chapters";
        app::Options options("demo_report", "Writes OUT/index.html: the metrics and figures of every chapter "
                                             "folder OUT/NN_name on one page (make demo runs it).");
        options.text("out", &out, "the folder of the chapters' outputs; the page is written there");
        options.text("chapters", &chapters, "the chapters' sources (each README gives a section its title)");
        if (!options.parse(argc, argv)) return 0;
        check(fs::is_directory(out), "--out ", out, ": no such folder (make demo writes it)");
        std::vector<std::string> names;
        for (const fs::directory_entry& e : fs::directory_iterator(out)) {
            const std::string name = e.path().filename().string();
            if (e.is_directory() && name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[0])) &&
                std::isdigit(static_cast<unsigned char>(name[1])) && name[2] == '_')
                names.push_back(name);
        }
        std::sort(names.begin(), names.end());
        check(!names.empty(), "--out ", out, ": no chapter folders (NN_name) in it (make demo writes them)");

        std::string page = std::string("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                                       "<title>convlab demo report</title>\n<style>") + kStyle +
                           "</style></head><body>\n<h1>convlab: every chapter in quick mode</h1>\n"
                           "<p>Made by <code>make demo</code> on " + utc_now() +
                           ". Numbers are rounded to 4 significant digits (whole numbers are shown in full); "
                           "each chapter's metrics.json holds them exactly.</p>\n<nav>";
        for (const std::string& name : names)
            page += "<a href=\"#" + html_escape(name) + "\">" + html_escape(name) + "</a>";
        page += "</nav>\n";
        for (const std::string& name : names) page += chapter_section(out, chapters, name);
        page += std::string(kImageCheck) + "</body></html>\n";
        write_file_atomic(out + "/index.html", page);
        std::printf("demo report: %s/index.html\n", out.c_str());
        return 0;
    });
}
