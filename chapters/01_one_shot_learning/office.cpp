// chapters/01_one_shot_learning/office.cpp
#include "chapters/01_one_shot_learning/office.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "face/batches.hpp"

namespace convlab {

std::vector<int64_t> Office::photos() const {
    std::vector<int64_t> rows = enrolled;
    rows.insert(rows.end(), visitors.begin(), visitors.end());
    return rows;
}

Office make_office(const FaceDataset& people, int employees) {
    std::vector<int> candidates;  // those with at least two photos: one to enrol, one to come back with
    for (int p = 0; p < static_cast<int>(people.people.size()); ++p)
        if (people.images_of(p).size() >= 2) candidates.push_back(p);
    check(candidates.size() >= 2, "make_office: the office needs 2 unseen people with 2 photos each, got ",
          candidates.size());
    Office o;
    o.employees = std::min<int>(employees, static_cast<int>(candidates.size()) / 2);
    for (int k = 0; k < 2 * o.employees; ++k) {
        const int p = candidates[k];
        const std::vector<int64_t> photos = people.images_of(p);
        if (k < o.employees) {
            o.enrolled.push_back(photos[0]);  // ONE photo per employee
            o.employee_names.push_back(people.people[p]);
        }
        o.visitors.push_back(photos[1]);      // employees come back; strangers try the door
    }
    return o;
}

// F rows: enrolled (E of them), then visitors.  For each visitor v:  d(v, k) for every employee k, the
// closest k*, open if d(v, k*) <= tau. who_is_it ranks by ||.||^2; for the Euclidean d that is the same
// order, and d = sqrt of it.
std::vector<DoorCall> open_door(const FaceDataset& people, const Office& office, const Tensor& F, float tau,
                                DoorDistance distance) {
    const int64_t E = int64_t(office.enrolled.size());
    check(F.ndim() == 2 && F.dim(0) == E + int64_t(office.visitors.size()), "open_door: expected F with ",
          E + int64_t(office.visitors.size()), " rows (enrolled, then visitors), got ", F.shape_str());
    std::vector<int64_t> employee_rows(static_cast<size_t>(E));
    std::iota(employee_rows.begin(), employee_rows.end(), 0);
    const Tensor db = take_copy(F, employee_rows);
    std::vector<DoorCall> calls;
    for (size_t i = 0; i < office.visitors.size(); ++i) {
        DoorCall c;
        c.visitor = people.people[size_t(people.labels[size_t(office.visitors[i])])];
        c.employee = std::find(office.employee_names.begin(), office.employee_names.end(), c.visitor) !=
                     office.employee_names.end();
        c.closest = who_is_it(F[E + int64_t(i)], db, office.employee_names, tau).ranking[0];
        if (distance == DoorDistance::Euclidean) c.closest.distance = std::sqrt(c.closest.distance);
        c.opens = c.closest.distance <= tau;
        c.right = c.employee ? c.opens && c.closest.name == c.visitor : !c.opens;
        calls.push_back(c);
    }
    return calls;
}

}  // namespace convlab
