// tests/tools/figure_captions.cpp
#include "tests/tools/figure_captions.hpp"

namespace convlab {

namespace {

struct Caption {
    const char* chapter;
    const char* file;  // '*' matches any text
    const char* text;
    const char* shown_in = "";
};

// One sentence per figure: what it shows and what to look for; then the grid it is part of, if any.
const Caption kCaptions[] = {
    {"01_one_shot_learning", "office.png",
     "One enrolled photo per employee, then each visitor with the decision of raw-pixel distance and of the "
     "learned encoder (X = wrong): look for the visitors the encoder gets right where raw pixels do not."},
    {"02_siamese_network", "distances.png",
     "Distances d = ||f(x_i) - f(x_j)||^2 between photos of unseen people: with random weights the same-person "
     "and different-person curves overlap; after training the different-person pairs move to larger d."},
    {"03_triplet_loss", "loss.png",
     "The triplet loss per epoch for each way of choosing triplets: hard and semi-hard triplets keep the loss "
     "high because they are chosen to be hard, so compare the minings on the ROC, not here."},
    {"03_triplet_loss", "roc.png",
     "ROC on people never seen in training, one curve per mining beside raw pixels: the higher and further "
     "left the curve, the better the encoder tells people apart."},
    {"03_triplet_loss", "hard_triplets.png",
     "The hardest unseen triplets (anchor, positive, negative) with their distances and loss: look for "
     "negatives closer to the anchor than the positive, the mistakes the margin alpha is there to fix."},
    {"04_face_verification", "roc.png",
     "ROC on unseen people of the triplet encoder with a threshold tau beside the binary verifiers on "
     "|f(x_i) - f(x_j)| and chi-square features: two ways to decide \"same person\", compared on the same pairs."},
    {"04_face_verification", "scratch_vs_pretrained.png",
     "The encoder trained here from scratch against the network pretrained on many real faces: the gap is "
     "what a large training set buys."},
    {"05_what_convnets_learn", "layer*.png",
     "For a few units of this layer, the nine image patches that excite each unit most: early layers respond "
     "to edges and blobs, deeper ones, with larger receptive fields, to larger parts of the image."},
    {"06_nst_cost_function", "frames.png",
     "The generated image G from white noise through the iterations that minimise J(G): the content's shapes "
     "and the style's colours appear as J falls."},
    {"06_nst_cost_function", "result.png", "G after the last iteration, the image that minimises J(G)."},
    {"06_nst_cost_function", "frame_*.png",
     "G as saved every few iterations (the number under each): noise turning into the picture.", "frames.png"},
    {"07_content_cost", "reconstructions.png",
     "The content image C beside images rebuilt from white noise by minimising J_content alone on a shallow and "
     "a deep layer: the shallow layer gives back C almost exactly, the deep one only its coarse layout."},
    {"07_content_cost", "from_*.png",
     "The image rebuilt from white noise by minimising J_content on this layer alone (the layer is in the file "
     "name): compare it with C for what the layer keeps.", "reconstructions.png"},
    {"08_style_cost", "textures.png",
     "The style image S beside textures synthesised from noise by matching Gram matrices on one layer and on "
     "all layers: several layers capture the style at several scales, without S's layout."},
    {"09_neural_style_transfer", "summary.png",
     "Content C, style S and the generated G side by side: G should keep C's layout and take S's colours and "
     "brush strokes."},
    {"09_neural_style_transfer", "result.png",
     "The generated image G where alpha J_content + beta J_style stopped falling: C's layout in S's style."},
    {"09_neural_style_transfer", "frame_*.png",
     "G as saved every few iterations (the number under each): the style arriving over the content."},
    {"10_conv1d_ecg", "beats.png",
     "A few training heartbeats of each class: the 1D ConvNet has to tell these shapes apart."},
    {"10_conv1d_ecg", "filters.png",
     "The first layer's learned 1D filters, weight against tap: look for edge and bump detectors, the 1D "
     "versions of a first layer's 2D edges."},
    {"10_conv1d_ecg", "training.png",
     "The training cost J per epoch of the first seed: it should fall steadily; a jump means a too large "
     "learning rate."},
    {"11_conv3d_volumes", "volumes.png",
     "Test volumes slice by slice with the true class and the 3D ConvNet's answer: a lesion is a small bright sphere "
     "that shows in a few neighbouring slices only."},
    {"11_conv3d_volumes", "clips.png",
     "Test clips frame by frame with the true direction of motion and the network's answer: the direction is "
     "seen only across frames, which the third convolution axis covers."},
};

// True if `text` matches `pattern`, where '*' stands for any text (empty too).
bool matches(const char* pattern, const char* text) {
    if (*pattern == '\0') return *text == '\0';
    if (*pattern == '*') return matches(pattern + 1, text) || (*text != '\0' && matches(pattern, text + 1));
    return *text == *pattern && matches(pattern + 1, text + 1);
}

}  // namespace

FigureNote figure_note(const std::string& chapter, const std::string& file) {
    for (const Caption& c : kCaptions)
        if (chapter == c.chapter && matches(c.file, file.c_str())) return {c.text, c.shown_in};
    return {};
}

}  // namespace convlab
