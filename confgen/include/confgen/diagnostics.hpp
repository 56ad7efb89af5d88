// Findings of loading and checking: each has a stable rule id, a severity, the location of the
// offending node, a message and a one-line fix. A Diagnostics object is passed in; there is no
// global state, so checks can run concurrently on different systems.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/source_location.hpp"

namespace jailconf {

enum class Severity { error, warning, note };
std::string_view to_string(Severity);

// A secondary location, e.g. "the other region is defined here".
struct RelatedLocation {
    SourceLocation loc;
    std::string message;
};

struct Diagnostic {
    std::string rule; // e.g. JC-MEM-OVERLAP; registered in rules.cpp
    Severity severity = Severity::error;
    SourceLocation loc;
    std::string message;
    std::string fix;
    std::vector<RelatedLocation> related;
    // Set when a waiver in the configuration accepts the finding: the waiver's reason.
    std::optional<std::string> suppression;
};

class Diagnostics {
  public:
    // Severity defaults to the rule's registered default.
    void report(std::string_view rule, const SourceLocation& loc, std::string message,
                std::string fix, std::vector<RelatedLocation> related = {});
    void add(Diagnostic d);

    const std::vector<Diagnostic>& all() const { return items_; }
    size_t error_count() const;
    bool has_errors() const { return error_count() != 0; }
    bool empty() const { return items_.empty(); }
    // Order by file, line, column, then rule: output is stable whatever order checks ran in.
    void sort();

  private:
    std::vector<Diagnostic> items_;
};

} // namespace jailconf
