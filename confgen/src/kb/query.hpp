// A rule's query: variables bound to fact tables, conditions over their fields, and an optional
// exception ("unless some record of this table ..."). Evaluation is a join that uses a hash
// index for an equality and an interval index for an overlap with already-bound variables, so
// that rules over 100,000 regions stay linear-ish rather than quadratic.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "confgen/source_location.hpp"
#include "kb/facts.hpp"

namespace jailconf::kb {

struct Operand {
    enum class Kind { literal, field, add, sub } kind = Kind::literal;
    Value literal;
    int var = -1;   // field: variable index
    int field = -1; // field: index in the variable's table
    std::vector<Operand> args;
    uint32_t vars_mask() const;
};

enum class Op {
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    in,
    not_in,
    intersects,
    matches,
    overlaps,
    within,
    set,
    unset,
    any,
    all,
    not_
};

struct Condition {
    Op op = Op::eq;
    std::vector<Operand> operands; // 2 for comparisons, 4 for intervals, 1 for set/unset
    std::vector<Condition> children;
    uint32_t vars = 0; // bit per variable used
};

struct Variable {
    std::string name; // one letter
    size_t table = 0; // index into fact_tables()
};

struct Query {
    std::vector<Variable> vars;    // `for` first, then the `unless` variable
    size_t for_count = 0;          // how many of `vars` belong to `for`
    std::vector<Condition> where;  // over `for` variables
    std::vector<Condition> unless; // over all variables; empty when the rule has no `unless`
    bool unordered_pairs = false;
};

// Calls `on_match` with the record index of each `for` variable for every binding that satisfies
// the query; returning false stops the evaluation.
class QueryIndexCache;
void evaluate(const Query& q, const Facts& facts, QueryIndexCache& cache,
              const std::function<bool(const std::vector<uint32_t>&)>& on_match);

// Indexes built for one Facts, shared by all rules evaluated over it.
class QueryIndexCache {
  public:
    explicit QueryIndexCache(const Facts& facts);
    ~QueryIndexCache();
    struct Impl;
    Impl& impl() { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

Value eval_operand(const Operand& o, const Facts& facts, const std::vector<Variable>& vars,
                   const std::vector<uint32_t>& binding);

} // namespace jailconf::kb
