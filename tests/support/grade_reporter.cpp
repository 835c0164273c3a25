// tests/support/grade_reporter.cpp
//
// The doctest reporter "grade" (tests -r=grade), read by tests/grader/grade.sh. One tab-separated line per
// event, nothing else:
//   check      FILE:LINE  EXPRESSION  ACTUAL  EXPECTED  HINT      a failing check
//   exception  FILE:LINE  TEST CASE   MESSAGE                       an exception no check caught
//   end        TEST CASES  FAILED TEST CASES                         the run's totals
// The tests write a check as CHECK_MESSAGE(actual OP expected, "hint"): ACTUAL and EXPECTED are the two sides
// of OP as doctest printed them (Approx( 0.95 ) shown as 0.95), HINT the messages in scope (CHECK_MESSAGE's,
// INFO's). A check without a comparison shows its printed value as ACTUAL ("false") and EXPECTED "true".
#include <doctest/doctest.h>

#include <mutex>
#include <sstream>
#include <string>

namespace {

using namespace doctest;

// Tabs and newlines would break the line format.
std::string flat(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

// "Approx( 0.95 )" (printed) or "doctest::Approx(0.95)" (source) -> "0.95"
std::string plain(std::string s) {
    for (const std::string approx : {"Approx( ", "doctest::Approx(", "Approx("})
        if (s.rfind(approx, 0) == 0 && s.back() == ')') {
            s = s.substr(approx.size(), s.size() - approx.size() - 1);
            while (!s.empty() && s.back() == ' ') s.pop_back();
            break;
        }
    return s;
}

// Splits "lhs OP rhs" at the first comparison outside brackets.
bool split_comparison(const std::string& d, std::string& lhs, std::string& rhs) {
    int depth = 0;
    for (size_t i = 0; i + 3 < d.size(); ++i) {
        const char c = d[i];
        if (c == '(' || c == '[' || c == '{') ++depth;
        if (c == ')' || c == ']' || c == '}') --depth;
        if (depth != 0 || c != ' ') continue;
        for (const char* op : {" == ", " != ", " <= ", " >= ", " < ", " > "}) {
            const std::string o = op;
            if (d.compare(i, o.size(), o) == 0) {
                lhs = d.substr(0, i);
                rhs = d.substr(i + o.size());
                return true;
            }
        }
    }
    return false;
}

std::string active_contexts() {
    std::ostringstream out;
    const int n = IReporter::get_num_active_contexts();
    const IContextScope* const* contexts = IReporter::get_active_contexts();
    for (int i = 0; i < n; ++i) {
        if (i) out << "; ";
        contexts[i]->stringify(&out);
    }
    return out.str();
}

struct GradeReporter : public IReporter {
    std::ostream& out;
    std::mutex mutex;
    const TestCaseData* test_case = nullptr;

    explicit GradeReporter(const ContextOptions& options) : out(*options.cout) {}

    void report_query(const QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const TestRunStats& s) override {
        out << "end\t" << s.numTestCasesPassingFilters << '\t' << s.numTestCasesFailed << std::endl;
    }
    void test_case_start(const TestCaseData& t) override { test_case = &t; }
    void test_case_reenter(const TestCaseData&) override {}
    void test_case_end(const CurrentTestCaseStats&) override {}
    void test_case_exception(const TestCaseException& e) override {
        std::lock_guard<std::mutex> lock(mutex);
        out << "exception\t" << test_case->m_file.c_str() << ':' << test_case->m_line << '\t'
            << flat(test_case->m_name) << '\t' << flat(e.error_string.c_str()) << std::endl;
    }
    void subcase_start(const SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const AssertData& a) override {
        if (!a.m_failed) return;
        std::lock_guard<std::mutex> lock(mutex);
        std::string actual, expected;
        const std::string decomp = a.m_decomp.c_str();
        const int throws = assertType::is_throws | assertType::is_throws_as | assertType::is_throws_with;
        if (a.m_at & assertType::is_throws_with) {
            expected = std::string("throws \"") + a.m_exception_string.c_str() + "\"";
            actual = a.m_threw ? std::string("threw ") + a.m_exception.c_str() : "no exception";
        } else if (a.m_at & throws) {
            expected = a.m_exception_type ? std::string("throws ") + a.m_exception_type : "an exception";
            actual = a.m_threw ? std::string("threw ") + a.m_exception.c_str() : "no exception";
        } else if (a.m_threw) {  // the expression itself threw (not_implemented, a convlab::Error)
            std::string lhs;
            if (split_comparison(a.m_expr, lhs, expected)) expected = plain(expected);
            else expected = "no exception";
            actual = std::string("threw ") + a.m_exception.c_str();
        } else if (split_comparison(decomp, actual, expected)) {
            actual = plain(actual);
            expected = plain(expected);
        } else {
            actual = decomp;
            expected = (a.m_at & assertType::is_false) ? "false" : "true";
        }
        out << "check\t" << a.m_file << ':' << a.m_line << '\t' << flat(a.m_expr) << '\t' << flat(actual) << '\t'
            << flat(expected) << '\t' << flat(active_contexts()) << std::endl;
    }
    void log_message(const MessageData&) override {}
    void test_case_skipped(const TestCaseData&) override {}
};

}  // namespace

REGISTER_REPORTER("grade", 1, GradeReporter);
