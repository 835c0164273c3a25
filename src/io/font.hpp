// src/io/font.hpp
//
// A small bitmap font for labels on images and plots: printable ASCII (' ' .. '~'), each character a 5 x 9
// box of pixels, either ink or paper. Capitals and digits use the top 7 rows (they stand on the baseline
// under row 6); the 2 rows below hold the descenders of g, j, p, q, y and the comma.
#pragma once

namespace convlab {

constexpr int kGlyphWidth = 5;   // pixels across a glyph
constexpr int kGlyphHeight = 9;  // pixels down: 7 above the baseline, 2 below
constexpr int kGlyphAdvance = 6; // x step from one character to the next: one blank column between them
constexpr int kLineHeight = 11;  // y step from one line of text to the next: two blank rows between them

// True where character c has ink at (row, col), row 0 = top, col 0 = left. Characters outside ' ' .. '~'
// are drawn as '?'; positions outside the box are paper.
bool glyph_pixel(char c, int row, int col);

}  // namespace convlab
