// chapters/01_one_shot_learning/office.hpp
//
// The lecture's office: four employees, enrolled with ONE photo each; the door opens for them and for
// nobody else.                                                         [lecture: "One Shot Learning"]
//
//   a visitor x comes:  the closest employee k* = argmin_k d(x, enrolled_k);  open for k* if d <= tau
//
// A call is right when an employee is let in as themselves, or a stranger is kept out.
#pragma once

#include <string>
#include <vector>

#include "chapters/01_one_shot_learning/one_shot.hpp"
#include "core/tensor.hpp"
#include "data/faces.hpp"

namespace convlab {

// Photo indices into the data set of unseen people the office is made of.
struct Office {
    int employees = 0;
    std::vector<int64_t> enrolled;             // photo 1 of each employee (one photo each)
    std::vector<int64_t> visitors;             // photo 2 of each employee, then of as many strangers
    std::vector<std::string> employee_names;
    // enrolled, then visitors: the rows a representation F of the office is given in (open_door)
    std::vector<int64_t> photos() const;
};

// The first `employees` people with two photos or more are the employees, the next as many the strangers
// (fewer of each when there are fewer than 2 x employees such people; at least 1 and 1, else an error).
Office make_office(const FaceDataset& people, int employees = 4);

// How d is measured on F: the chapter's d = ||f1 - f2||^2 (face_distance), or the pretrained net's
// d = ||f1 - f2|| (dlib's scale, tau = 0.6).
enum class DoorDistance { Squared, Euclidean };

struct DoorCall {
    std::string visitor;   // who it really is
    bool employee;         // enrolled, or a stranger
    Candidate closest;     // the closest employee and d, on the door's scale
    bool opens;            // closest.distance <= tau
    bool right;            // an employee let in as themselves, or a stranger kept out
};

// F: (enrolled + visitors, D), rows in office.photos() order. One call per visitor, in order.
std::vector<DoorCall> open_door(const FaceDataset& people, const Office& office, const Tensor& F, float tau,
                                DoorDistance distance);

}  // namespace convlab
