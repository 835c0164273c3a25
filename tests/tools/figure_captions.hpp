// tests/tools/figure_captions.hpp
//
// What to look for in each figure a chapter program writes: one sentence per figure, for the demo report
// (demo_report.cpp), and which figures only repeat the images of a grid the chapter also writes. The table
// lives in figure_captions.cpp, keyed by the chapter's folder and the file name.
#pragma once

#include <string>

namespace convlab {

struct FigureNote {
    std::string caption;   // what the figure shows and what to look for; "" when the table has no entry
    std::string shown_in;  // a grid of the same chapter that holds this figure's image beside others (e.g.
                           // frames.png for frame_0005.png); "" when there is none
};

// The note on `file` (e.g. "roc.png", "frame_0040.png") written by `chapter` (e.g. "03_triplet_loss"); a '*'
// in the table's file name matches any text ("frame_*.png").
FigureNote figure_note(const std::string& chapter, const std::string& file);

}  // namespace convlab
