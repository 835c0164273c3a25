// chapters/11_conv3d_volumes/montage.cpp
#include "chapters/11_conv3d_volumes/montage.hpp"

#include "core/error.hpp"
#include "io/draw.hpp"
#include "io/image.hpp"

namespace convlab {

namespace {

constexpr int kScale = 3;  // a 16 x 16 slice drawn 48 x 48 pixels: big enough to see a 2-voxel lesion

}  // namespace

void save_montage(const std::string& path, const std::string& title, const VolumeSet& set,
                  const std::vector<int>& predicted, int rows) {
    const int64_t N = set.X.dim(0), D = set.X.dim(2);
    check(static_cast<int64_t>(predicted.size()) == N, "save_montage: expected ", N, " predictions, got ",
          predicted.size());
    std::vector<Tensor> cells;
    std::vector<std::string> row_labels;
    const int K = static_cast<int>(set.classes.size());
    std::vector<int64_t> next(static_cast<size_t>(K), 0);  // where to look for the next example of each class
    for (int r = 0; r < rows; ++r) {
        const int k = r % K;
        int64_t i = next[k];
        while (i < N && set.label[i] != k) ++i;
        if (i == N) continue;  // no (more) examples of this class
        next[k] = i + 1;
        const Tensor volume = normalize_to_unit(set.X[i][0]);  // one scale for all its slices
        for (int64_t d = 0; d < D; ++d) cells.push_back(volume[d].contiguous());
        row_labels.push_back(set.classes[k] + " (net: " + set.classes[predicted[i]] + ")");
    }
    GridOptions grid;
    grid.cols = static_cast<int>(D);
    grid.row_labels = row_labels;
    grid.title = title;
    grid.scale = kScale;
    save_png(path, make_grid(cells, grid));
}

}  // namespace convlab
