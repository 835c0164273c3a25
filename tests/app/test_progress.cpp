// tests/app/test_progress.cpp: the progress line (its numbers and ETA) and when it is printed.
#include "io/progress.hpp"

#include <cmath>
#include <sstream>

#include "tests/support/check.hpp"

using namespace convlab;

TEST_CASE("format_duration: m:ss, h:mm:ss, ? for nonsense" * doctest::test_suite("io.progress")) {
    CHECK(format_duration(0) == "0:00");
    CHECK(format_duration(65.4) == "1:05");
    CHECK(format_duration(3599.6) == "1:00:00");
    CHECK(format_duration(3725) == "1:02:05");
    CHECK(format_duration(-1) == "?");
    CHECK(format_duration(NAN) == "?");
    CHECK(format_duration(INFINITY) == "?");
}

TEST_CASE("format_progress: rate, elapsed and ETA at the average rate" * doctest::test_suite("io.progress")) {
    // 120 steps in 3 s: 40 it/s; 880 steps left at 3/120 s each: 22 s.
    CHECK(format_progress("train", 120, 1000, 3.0, "loss 0.123") ==
          "train   120/1000  12.0%  40.0 it/s  elapsed 0:03  ETA 0:22  loss 0.123");
    // slow steps are shown as seconds per step; at the end the ETA is 0
    CHECK(format_progress("nst", 4, 4, 10.0, "") == "nst  4/4  100.0%  2.5 s/it  elapsed 0:10  ETA 0:00");
    // before the first step nothing is known
    CHECK(format_progress("x", 0, 10, 0.0, "") == "x   0/10  0.0%  ? it/s  elapsed 0:00  ETA ?");
    CHECK(format_progress("x", 500, 1000, 2.0, "") == "x   500/1000  50.0%  250 it/s  elapsed 0:02  ETA 0:02");
}

TEST_CASE("format_progress of a resumed run: rate and ETA from the steps done since it resumed" *
          doctest::test_suite("io.progress")) {
    // resumed after step 100 of 1000: 20 steps in 2 s is 10 it/s; 880 steps left at 0.1 s each: 88 s
    CHECK(format_progress("train", 120, 1000, 2.0, "", 100) ==
          "train   120/1000  12.0%  10.0 it/s  elapsed 0:02  ETA 1:28");
    // resumed at the step shown: nothing timed yet
    CHECK(format_progress("train", 100, 1000, 0.4, "", 100) ==
          "train   100/1000  10.0%  ? it/s  elapsed 0:00  ETA ?");
}

TEST_CASE("Progress resumed from step 3 of 5: shows steps 4 and 5, and counts 2 done" *
          doctest::test_suite("io.progress")) {
    std::ostringstream out;
    Progress progress("fit", 5, 1, out, /*terminal=*/false);
    progress.resume_from(3);
    progress.update(4, "J 4");
    progress.update(5, "J 5");
    progress.done();
    std::istringstream lines(out.str());
    std::vector<std::string> got;
    for (std::string line; std::getline(lines, line);) got.push_back(line);
    REQUIRE(got.size() == 3);
    CHECK(got[0].rfind("fit  4/5  80.0%", 0) == 0);
    CHECK(got[1].rfind("fit  5/5  100.0%", 0) == 0);
    CHECK(got[1].find("ETA 0:00  J 5") != std::string::npos);
    CHECK(got[2].rfind("fit done: 2 steps in ", 0) == 0);
}

TEST_CASE("Progress into a file: every `every` steps and the last" * doctest::test_suite("io.progress")) {
    std::ostringstream out;
    {
        Progress progress("fit", 5, 2, out, /*terminal=*/false);
        for (int step = 1; step <= 5; ++step) progress.update(step, "J " + std::to_string(step));
        progress.done();
        progress.done();  // once only
    }
    std::istringstream lines(out.str());
    std::vector<std::string> got;
    for (std::string line; std::getline(lines, line);) got.push_back(line);
    REQUIRE(got.size() == 4);
    CHECK(got[0].rfind("fit  2/5  40.0%", 0) == 0);
    CHECK(got[0].find("  J 2") != std::string::npos);
    CHECK(got[1].rfind("fit  4/5  80.0%", 0) == 0);
    CHECK(got[2].rfind("fit  5/5  100.0%", 0) == 0);
    CHECK(got[3].rfind("fit done: 5 steps in 0.0 s (", 0) == 0);
    CHECK_THROWS_WITH_AS(Progress("p", 0, 1, out, false), "Progress(p): total must be >= 1, got 0", Error);
}

TEST_CASE("Progress on a terminal rewrites one line and ends it" * doctest::test_suite("io.progress")) {
    std::ostringstream out;
    {
        Progress progress("fit", 3, 1, out, /*terminal=*/true);
        progress.update(1, "a");  // drawn: the first
        progress.update(2, "b");  // (skipped when within kRedrawSeconds of the first)
        progress.update(3, "c");  // drawn: the last step always is
    }  // not done(): the destructor still ends the line
    const std::string s = out.str();
    CHECK(s.rfind("\rfit  1/3", 0) == 0);
    CHECK(s.find("\rfit  3/3  100.0%") != std::string::npos);
    CHECK(s.find('\n') == s.size() - 1);
}
