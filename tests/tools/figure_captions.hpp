// tests/tools/figure_captions.hpp
//
// What to look for in each figure a chapter program writes: one sentence per figure, for the demo report
// (demo_report.cpp). The table lives in figure_captions.cpp, keyed by the chapter's folder and the file name.
#pragma once

#include <string>

namespace convlab {

// The sentence for `file` (e.g. "roc.png", "frame_0040.png") written by `chapter` (e.g. "03_triplet_loss");
// a '*' in the table's file name matches any text ("frame_*.png"). "" when the table has no entry.
std::string figure_caption(const std::string& chapter, const std::string& file);

}  // namespace convlab
