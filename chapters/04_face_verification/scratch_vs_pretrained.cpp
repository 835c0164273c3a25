// chapters/04_face_verification/scratch_vs_pretrained.cpp
#include "chapters/04_face_verification/scratch_vs_pretrained.hpp"

#include <cstdio>

#include "face/folds.hpp"
#include "io/plot.hpp"

namespace convlab {

PretrainedFold run_pretrained_fold(const FacePipeline& pipeline, const FaceDataset& ds, int folds, int k) {
    PretrainedFold out;
    out.photos = describe_photos(pipeline, ds.files);
    out.scores = score_pretrained_fold(ds, out.photos, folds, k);
    std::vector<int64_t> test_photos;  // the fold's test pairs once more, at dlib's tau
    for (int p : fold_people(int(ds.people.size()), folds, k))
        for (int64_t i : ds.images_of(p)) test_photos.push_back(i);
    std::vector<int> labels;
    for (int64_t i : test_photos) labels.push_back(ds.labels[size_t(i)]);
    out.at_dlib_tau = rates_at(pair_distances(descriptor_distances(out.photos.f, test_photos), labels),
                               kPretrainedThreshold);
    return out;
}

static std::string scratch_label(int trained_people) {
    return "from scratch: trained on " + std::to_string(trained_people) + " people";
}

void print_scratch_vs_pretrained(const Scores& scratch, int trained_people, const PretrainedFold& pretrained) {
    const PhotoDescriptors& photos = pretrained.photos;
    const Scores& pre = pretrained.scores;
    std::printf("the same unseen people, the same pairs   rank-1   ROC AUC   EER     tau     TAR at tau   FAR at tau"
                "   faces found / framed / low score / whole\n");
    const char* row = "  %-38s %.3f    %.4f    %.3f   %.3f   %.3f        %.4f       ";
    std::printf(row, scratch_label(trained_people).c_str(), scratch.rank1, scratch.auc, scratch.eer, scratch.tau,
                scratch.at_tau.tar, scratch.at_tau.far);
    std::printf("no detection: whole photos\n");
    std::printf(row, "pretrained: detected, aligned", pre.rank1, pre.auc, pre.eer, pre.tau, pre.at_tau.tar,
                pre.at_tau.far);
    std::printf("%d / %d / %d / %d of %zu\n", photos.found, photos.framed, photos.framed_twice, photos.whole,
                photos.f.size());
    std::printf("  tau: on each row's own d, chosen on the other people (||f1 - f2||^2 from scratch, ||f1 - f2|| "
                "pretrained)\n"
                "  pretrained at dlib's own tau = %.1f, chosen on none of them: TAR %.3f, FAR %.4f\n"
                "  found: in the photo as it is; framed: only with a border around the tight crop, or two (in the "
                "frame of the frame); whole: no face found, the whole photo described (%.0f s for %zu photos)\n",
                kPretrainedThreshold, pretrained.at_dlib_tau.tar, pretrained.at_dlib_tau.far,
                photos.seconds,
                photos.f.size());
    std::printf("trained on %d people here: AUC %.4f, TAR %.3f at FAR %.4f; pretrained on millions of faces, with "
                "detection and alignment: AUC %.4f, TAR %.3f at FAR %.4f\n\n", trained_people, scratch.auc,
                scratch.at_tau.tar, scratch.at_tau.far, pre.auc, pre.at_tau.tar, pre.at_tau.far);
}

void set_pretrained_metrics(app::Metrics& metrics, const PretrainedFold& pretrained) {
    const Scores& s = pretrained.scores;
    metrics.set("pretrained.rank1", s.rank1);
    metrics.set("pretrained.auc", s.auc);
    metrics.set("pretrained.eer", s.eer);
    metrics.set("pretrained.tau", s.tau);
    metrics.set("pretrained.tar", s.at_tau.tar);
    metrics.set("pretrained.far", s.at_tau.far);
    metrics.set("pretrained.tar_at_dlib_tau", pretrained.at_dlib_tau.tar);
    metrics.set("pretrained.far_at_dlib_tau", pretrained.at_dlib_tau.far);
    metrics.set("pretrained.photos_found", pretrained.photos.found);
    metrics.set("pretrained.photos_framed", pretrained.photos.framed);
    metrics.set("pretrained.photos_framed_twice", pretrained.photos.framed_twice);
    metrics.set("pretrained.photos_whole", pretrained.photos.whole);
    metrics.set("pretrained.seconds", pretrained.photos.seconds);
}

void save_scratch_vs_pretrained_roc(const std::string& path, const Scores& scratch, int trained_people,
                                    const PretrainedFold& pretrained) {
    std::vector<Series> series;
    auto add = [&](const std::string& label, const Scores& s) {
        char auc[32];
        std::snprintf(auc, sizeof auc, " (AUC %.4f)", s.auc);
        Series r{label + auc, {}, {}};
        for (const RocPoint& p : s.roc) r.x.push_back(p.far), r.y.push_back(p.tar);
        series.push_back(r);
    };
    add(scratch_label(trained_people), scratch);
    add("pretrained on millions, detected and aligned", pretrained.scores);
    PlotOptions po{"ROC: from scratch vs pretrained", "false accept rate",
                   "true accept rate", false};
    po.diagonal = true;
    save_line_plot(path, series, po);
}

}  // namespace convlab
