// chapters/11_conv3d_volumes/montage.hpp
//
// Looking at 3D data on a 2D page: each volume (or clip) as one row of its slices (or frames).
#pragma once

#include <string>
#include <vector>

#include "data/synthetic_volumes.hpp"

namespace convlab {

// A PNG with `rows` examples of `set`, one per row, picked to show every class in turn; each row is the
// example's n_D slices side by side, labelled with its class and the network's prediction.
// predicted: one class per example of `set`.
void save_montage(const std::string& path, const std::string& title, const VolumeSet& set,
                  const std::vector<int>& predicted, int rows);

}  // namespace convlab
