// src/app/main_guard.cpp
#include "app/main_guard.hpp"

#include <exception>
#include <iostream>

namespace convlab::app {

int guarded_main(const std::string& program, const std::function<int()>& body, int error_status) {
    try {
        return body();
    } catch (const std::exception& e) {  // convlab::Error is a std::runtime_error
        std::cout.flush();
        std::cerr << program << ": error: " << e.what() << std::endl;
    } catch (...) {
        std::cout.flush();
        std::cerr << program << ": error: unknown exception" << std::endl;
    }
    return error_status;
}

}  // namespace convlab::app
