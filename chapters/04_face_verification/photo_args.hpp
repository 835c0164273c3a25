// chapters/04_face_verification/photo_args.hpp
//
// The photos a face-tool command is given: files and folders on the command line, or a folder of people.
#pragma once

#include <string>
#include <vector>

namespace convlab {

// Each argument a photo file (taken as it is) or a folder (every image file below it, .pgm .ppm .png .jpg
// .jpeg .bmp, at any depth, in natural order: s2 before s10). Error naming the path when it does not
// exist, or when a folder holds no image.
std::vector<std::string> expand_photos(const std::vector<std::string>& args);

struct PersonPhotos {
    std::string name;
    std::vector<std::string> photos;
};

// A folder of people, in either layout or both (natural order of names):
//   dir/<name>/...      one subfolder per person, every image below it is that person
//   dir/<name>.jpg      an image file named after the person (face_recognition's "known people" folder)
// Files that are not images (a README) are passed over. Error naming dir when it is not a folder or holds
// no person.
std::vector<PersonPhotos> people_folder(const std::string& dir);

}  // namespace convlab
