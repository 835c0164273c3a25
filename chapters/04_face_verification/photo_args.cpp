// chapters/04_face_verification/photo_args.cpp
#include "chapters/04_face_verification/photo_args.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "data/faces.hpp"

namespace convlab {

namespace fs = std::filesystem;

static bool hidden(const fs::path& p) { return p.filename().string()[0] == '.'; }

// Every image file below dir (hidden files and folders passed over), in natural order of the path below dir.
static std::vector<std::string> images_below(const fs::path& dir) {
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
        if (hidden(it->path())) {
            if (it->is_directory()) it.disable_recursion_pending();
            continue;
        }
        if (it->is_regular_file() && is_image_file(it->path().string())) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end(), natural_less);
    return found;
}

std::vector<std::string> expand_photos(const std::vector<std::string>& args) {
    std::vector<std::string> photos;
    for (const std::string& arg : args) {
        check(fs::exists(arg), arg, ": no such photo or folder");
        if (!fs::is_directory(arg)) {
            photos.push_back(arg);
            continue;
        }
        const std::vector<std::string> inside = images_below(arg);
        check(!inside.empty(), arg, ": a folder with no photos in it (expected .pgm .ppm .png .jpg .jpeg or .bmp files)");
        photos.insert(photos.end(), inside.begin(), inside.end());
    }
    return photos;
}

std::vector<PersonPhotos> people_folder(const std::string& dir) {
    check(fs::is_directory(dir), "--people ", dir, ": not a folder (expected one subfolder per person, or photos "
          "named after the people)");
    std::vector<PersonPhotos> people;
    auto person = [&](const std::string& name) -> PersonPhotos& {
        for (PersonPhotos& p : people)
            if (p.name == name) return p;
        people.push_back({name, {}});
        return people.back();
    };
    for (const auto& entry : fs::directory_iterator(dir)) {
        const fs::path& p = entry.path();
        if (hidden(p)) continue;
        if (entry.is_directory()) {
            const std::vector<std::string> photos = images_below(p);
            check(!photos.empty(), "--people ", dir, ": ", p.string(), " holds no photos (expected .pgm .ppm .png "
                  ".jpg .jpeg or .bmp files)");
            std::vector<std::string>& to = person(p.filename().string()).photos;
            to.insert(to.end(), photos.begin(), photos.end());
        } else if (entry.is_regular_file() && is_image_file(p.string())) {
            person(p.stem().string()).photos.push_back(p.string());
        }
    }
    check(!people.empty(), "--people ", dir, ": no people in it (expected one subfolder per person, or photos named "
          "after the people)");
    std::sort(people.begin(), people.end(),
              [](const PersonPhotos& a, const PersonPhotos& b) { return natural_less(a.name, b.name); });
    for (PersonPhotos& p : people) std::sort(p.photos.begin(), p.photos.end(), natural_less);
    return people;
}

}  // namespace convlab
