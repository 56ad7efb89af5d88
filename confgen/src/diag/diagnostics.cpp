#include "confgen/diagnostics.hpp"

#include <algorithm>
#include <tuple>

#include "confgen/rules.hpp"

namespace jailconf {

std::string_view to_string(Severity s) {
    switch (s) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::note:
        return "note";
    }
    return "error";
}

void Diagnostics::report(std::string_view rule, const SourceLocation& loc, std::string message,
                         std::string fix, std::vector<RelatedLocation> related) {
    const RuleInfo* info = find_rule(rule);
    add(Diagnostic{std::string(rule), info ? info->default_severity : Severity::error, loc,
                   std::move(message), std::move(fix), std::move(related), std::nullopt});
}

void Diagnostics::add(Diagnostic d) {
    items_.push_back(std::move(d));
}

size_t Diagnostics::error_count() const {
    return size_t(std::ranges::count(items_, Severity::error, &Diagnostic::severity));
}

void Diagnostics::sort() {
    std::ranges::stable_sort(items_, [](const Diagnostic& a, const Diagnostic& b) {
        return std::tie(a.loc.file, a.loc.line, a.loc.column, a.rule) <
               std::tie(b.loc.file, b.loc.line, b.loc.column, b.rule);
    });
}

} // namespace jailconf
