// tests/data/test_faces.cpp: the folder-per-person loader and the synthetic face generator.
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "data/faces.hpp"
#include "data/synthetic_faces.hpp"
#include "io/image.hpp"
#include "tests/support/check.hpp"

using namespace convlab;
namespace fs = std::filesystem;

TEST_CASE("natural_less orders s2 before s10" * doctest::test_suite("data.faces")) {
    CHECK(natural_less("s2", "s10"));
    CHECK_FALSE(natural_less("s10", "s2"));
    CHECK(natural_less("1.pgm", "9.pgm"));
    CHECK(natural_less("9.pgm", "10.pgm"));
    CHECK(natural_less("a", "b"));
    CHECK(natural_less("s1", "s1a"));
    CHECK_FALSE(natural_less("s01", "s1"));
    CHECK_FALSE(natural_less("s1", "s1"));
    CHECK(is_image_file("x/Y.PGM"));
    CHECK_FALSE(is_image_file("README"));
}

TEST_CASE("synthetic_faces: shapes, range, and determinism per person" * doctest::test_suite("data.faces")) {
    SyntheticFacesSpec spec;
    spec.people = 3;
    spec.per_person = 2;
    const FaceDataset a = synthetic_faces(spec);
    CHECK(a.images.shape() == Shape{6, 1, 56, 46});
    CHECK(a.labels == std::vector<int>{0, 0, 1, 1, 2, 2});
    CHECK(a.people[2] == "synth003");
    const std::vector<float> v = a.images.values();
    CHECK(*std::min_element(v.begin(), v.end()) >= 0.0f);
    CHECK(*std::max_element(v.begin(), v.end()) <= 1.0f);
    // the same seed renders the same pixels, and person 2 does not depend on how many people exist
    spec.people = 5;
    const FaceDataset b = synthetic_faces(spec);
    CHECK(b.images.slice(0, 0, 6).values() == v);
    // two photos of one person differ (nuisances), and so do two people
    CHECK(a.images[0].values() != a.images[1].values());
    spec.seed = 7;
    CHECK(synthetic_faces(spec).images[0].values() != a.images[0].values());
    // photos of the same person are closer, on average, than photos of different people
    double same = 0, diff = 0;
    const Tensor x = synthetic_faces({20, 4, 56, 46, 3}).images.reshape({20, 4, -1});
    for (int p = 0; p < 20; ++p) {
        same += sum(square(x[p][0] - x[p][1])).item();
        diff += sum(square(x[p][0] - x[(p + 1) % 20][1])).item();
    }
    CHECK(same < diff);
}

TEST_CASE("load_face_folder: natural order, any size, clear errors" * doctest::test_suite("data.faces")) {
    const fs::path dir = fs::temp_directory_path() / ("convlab_faces_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    for (const char* person : {"s10", "s2"}) fs::create_directories(dir / person);
    save_png((dir / "s2" / "1.png").string(), Tensor::full({1, 20, 12}, 0.5f));
    save_png((dir / "s2" / "10.png").string(), Tensor::full({3, 12, 16}, 1.0f));  // colour: converted to grey
    save_png((dir / "s2" / "2.png").string(), Tensor::full({1, 12, 12}, 0.0f));
    save_png((dir / "s10" / "a.png").string(), Tensor::full({1, 30, 30}, 0.2f));
    std::ofstream(dir / "README") << "ignored";
    const FaceDataset ds = load_face_folder(dir.string(), 12, 10);
    CHECK(ds.people == std::vector<std::string>{"s2", "s10"});
    CHECK(ds.labels == std::vector<int>{0, 0, 0, 1});
    CHECK(ds.images.shape() == Shape{4, 1, 12, 10});
    CHECK(fs::path(ds.files[1]).filename() == "2.png");  // 1, 2, 10
    CHECK(ds.images[2].values()[0] == doctest::Approx(1.0f));
    CHECK(ds.images[0].values()[0] == doctest::Approx(0.5f).epsilon(0.01));
    CHECK(select_people(ds, {1}).labels == std::vector<int>{0});
    // a non-image file inside a person folder, and an unreadable image: errors naming the file
    std::ofstream(dir / "s10" / "notes.txt") << "x";
    CHECK_THROWS_WITH_AS(load_face_folder(dir.string(), 12, 10), doctest::Contains("notes.txt: not an image file"), Error);
    fs::remove(dir / "s10" / "notes.txt");
    std::ofstream(dir / "s10" / "broken.png") << "not a png";
    CHECK_THROWS_WITH_AS(load_face_folder(dir.string(), 12, 10), doctest::Contains("broken.png"), Error);
    CHECK_THROWS_WITH_AS(load_face_folder((dir / "missing").string(), 12, 10), doctest::Contains("is not a folder"),
                         Error);
    fs::remove_all(dir);
}

TEST_CASE("load_face_photo: any size from 12 x 12 up, grey; smaller is refused" * doctest::test_suite("data.faces")) {
    const fs::path dir = fs::temp_directory_path() / ("convlab_face_photo_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string colour = (dir / "colour.png").string(), small = (dir / "small.png").string(),
                      dot = (dir / "dot.pgm").string(), thin = (dir / "thin.png").string();
    save_png(colour, Tensor::full({3, 12, 30}, 1.0f));  // the smallest height, wide, colour
    save_png(small, Tensor::full({1, 11, 40}, 0.5f));
    save_pnm(dot, Tensor::full({1, 1, 1}, 0.5f));
    save_png(thin, Tensor::full({1, 50, 11}, 0.5f));
    const Tensor grey = load_face_photo(colour);
    CHECK(grey.shape() == Shape{1, 12, 30});
    CHECK(grey.values()[0] == doctest::Approx(1.0f));  // 0.299 + 0.587 + 0.114 of white
    CHECK_THROWS_WITH_AS(load_face_photo(small),
                         ("load_face_photo: " + small + ": 40 x 11 pixels is too small for a face, expected at least "
                          "12 x 12").c_str(), Error);
    CHECK_THROWS_WITH_AS(load_face_photo(thin), doctest::Contains("11 x 50 pixels is too small"), Error);
    CHECK_THROWS_WITH_AS(load_face_image(dot, 56, 46), doctest::Contains("dot.pgm: 1 x 1 pixels is too small"), Error);
    fs::remove_all(dir);
}

TEST_CASE("load_face_folder: ORL is 40 people x 10 photos in natural order" * doctest::test_suite("data.faces")) {
    const std::string shared = testing::shared_data_dir();
    if (shared.empty()) {
        MESSAGE("skipped: ../shared/data/att_faces not found");
        return;
    }
    const FaceDataset orl = load_face_folder(shared + "/att_faces", 56, 46);
    CHECK(orl.people.size() == 40);
    CHECK(orl.size() == 400);
    CHECK(orl.people[1] == "s2");
    CHECK(orl.people[9] == "s10");
    CHECK(orl.images.shape() == Shape{400, 1, 56, 46});
}
