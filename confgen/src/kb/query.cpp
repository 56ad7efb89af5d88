#include "kb/query.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "kb/interval_index.hpp"

namespace jailconf::kb {

uint32_t Operand::vars_mask() const {
    uint32_t m = kind == Kind::field ? 1u << var : 0u;
    for (const auto& a : args)
        m |= a.vars_mask();
    return m;
}

struct QueryIndexCache::Impl {
    const Facts& facts;
    std::map<std::pair<size_t, int>, std::unordered_map<std::string, std::vector<uint32_t>>> hash;
    std::map<std::tuple<size_t, int, int>, IntervalIndex> intervals;

    const std::unordered_map<std::string, std::vector<uint32_t>>& hash_index(size_t table,
                                                                             int field) {
        auto [it, fresh] = hash.try_emplace({table, field});
        if (fresh) {
            const auto& records = facts.table(table).records;
            for (uint32_t i = 0; i < records.size(); ++i)
                if (auto k = records[i].values[size_t(field)].key())
                    it->second[*k].push_back(i);
        }
        return it->second;
    }

    const IntervalIndex& interval_index(size_t table, int start, int end) {
        auto [it, fresh] = intervals.try_emplace({table, start, end});
        if (fresh) {
            const auto& records = facts.table(table).records;
            for (uint32_t i = 0; i < records.size(); ++i) {
                auto s = records[i].values[size_t(start)].as_int();
                auto e = records[i].values[size_t(end)].as_int();
                if (s && e && *e > *s)
                    it->second.add(*s, *e, i);
            }
            it->second.build();
        }
        return it->second;
    }
};

QueryIndexCache::QueryIndexCache(const Facts& facts)
    : impl_(std::make_unique<Impl>(Impl{facts, {}, {}})) {}
QueryIndexCache::~QueryIndexCache() = default;

namespace {

int64_t saturating(__int128 v) {
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : int64_t(v);
}

// fnmatch-style `*` and `?`, iterative so that patterns cannot recurse deeply.
bool glob(std::string_view pattern, std::string_view text) {
    size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool is_set(const Value& v) {
    if (v.absent())
        return false;
    if (auto s = v.as_str())
        return !s->empty();
    if (auto l = v.as_ints())
        return !l->empty();
    if (auto l = v.as_strs())
        return !l->empty();
    return true;
}

struct Evaluator {
    const Query& q;
    const Facts& facts;
    QueryIndexCache::Impl& cache;
    std::vector<uint32_t> binding;

    Value operand(const Operand& o) const { return eval_operand(o, facts, q.vars, binding); }

    bool holds(const Condition& c) const {
        switch (c.op) {
        case Op::any:
            return std::any_of(c.children.begin(), c.children.end(),
                               [this](const Condition& ch) { return holds(ch); });
        case Op::all:
            return std::all_of(c.children.begin(), c.children.end(),
                               [this](const Condition& ch) { return holds(ch); });
        case Op::not_:
            return !holds(c.children.front());
        case Op::set:
            return is_set(operand(c.operands[0]));
        case Op::unset:
            return !is_set(operand(c.operands[0]));
        case Op::overlaps:
        case Op::within: {
            auto s1 = operand(c.operands[0]), e1 = operand(c.operands[1]);
            auto s2 = operand(c.operands[2]), e2 = operand(c.operands[3]);
            if (!s1.as_int() || !e1.as_int() || !s2.as_int() || !e2.as_int())
                return false;
            if (c.op == Op::overlaps)
                return *s1.as_int() < *e2.as_int() && *s2.as_int() < *e1.as_int() &&
                       *s1.as_int() < *e1.as_int() && *s2.as_int() < *e2.as_int();
            return *s2.as_int() <= *s1.as_int() && *e1.as_int() <= *e2.as_int();
        }
        default:
            break;
        }
        Value a = operand(c.operands[0]);
        Value b = operand(c.operands[1]);
        switch (c.op) {
        case Op::eq:
            return a.equals(b);
        case Op::ne:
            return !a.absent() && !b.absent() && !a.equals(b);
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge: {
            auto r = a.compare(b);
            if (!r)
                return false;
            return c.op == Op::lt   ? *r < 0
                   : c.op == Op::le ? *r <= 0
                   : c.op == Op::gt ? *r > 0
                                    : *r >= 0;
        }
        case Op::in:
            return b.list_contains(a);
        case Op::not_in:
            return !a.absent() && b.is_list() && !b.list_contains(a);
        case Op::intersects: {
            if (auto l = a.as_ints())
                return std::any_of(l->begin(), l->end(),
                                   [&](int64_t v) { return b.list_contains(Value(v)); });
            if (auto l = a.as_strs())
                return std::any_of(l->begin(), l->end(),
                                   [&](const std::string& v) { return b.list_contains(Value(v)); });
            return false;
        }
        case Op::matches: {
            auto pattern = b.as_str();
            if (!pattern)
                return false;
            if (auto s = a.as_str())
                return glob(*pattern, *s);
            if (auto l = a.as_strs())
                return std::any_of(l->begin(), l->end(),
                                   [&](const std::string& v) { return glob(*pattern, v); });
            return false;
        }
        default:
            return false;
        }
    }

    // The candidates for variable `i` given variables < i bound: from an index when a condition
    // ties it to them, else every record.
    template <class F> void candidates(const std::vector<Condition>& conds, size_t i, F&& f) {
        const uint32_t self = 1u << i, before = self - 1;
        const size_t table = q.vars[i].table;
        auto plain = [&](const Operand& o) {
            return o.kind == Operand::Kind::field && o.var == int(i);
        };
        for (const auto& c : conds) {
            if (c.op != Op::overlaps || (c.vars & ~(self | before)) != 0)
                continue;
            for (int side = 0; side < 2; ++side) {
                const Operand& s = c.operands[size_t(side) * 2];
                const Operand& e = c.operands[size_t(side) * 2 + 1];
                const Operand& os = c.operands[size_t(1 - side) * 2];
                const Operand& oe = c.operands[size_t(1 - side) * 2 + 1];
                if (!plain(s) || !plain(e) || ((os.vars_mask() | oe.vars_mask()) & ~before))
                    continue;
                auto vs = operand(os), ve = operand(oe);
                if (!vs.as_int() || !ve.as_int())
                    return;
                std::vector<uint32_t> hits;
                cache.interval_index(table, s.field, e.field)
                    .overlapping(*vs.as_int(), *ve.as_int(), [&](uint32_t id) {
                        hits.push_back(id);
                        return true;
                    });
                std::sort(hits.begin(), hits.end());
                for (uint32_t id : hits)
                    if (!f(id))
                        return;
                return;
            }
        }
        for (const auto& c : conds) {
            if (c.op != Op::eq || (c.vars & ~(self | before)) != 0)
                continue;
            for (int side = 0; side < 2; ++side) {
                const Operand& mine = c.operands[size_t(side)];
                const Operand& other = c.operands[size_t(1 - side)];
                if (!plain(mine) || (other.vars_mask() & ~before))
                    continue;
                auto key = operand(other).key();
                if (!key)
                    return;
                const auto& index = cache.hash_index(table, mine.field);
                auto it = index.find(*key);
                if (it == index.end())
                    return;
                for (uint32_t id : it->second)
                    if (!f(id))
                        return;
                return;
            }
        }
        const size_t n = facts.table(table).records.size();
        for (uint32_t id = 0; id < n; ++id)
            if (!f(id))
                return;
    }

    // Binds variables from `i` to `last` (exclusive) and calls `done` for each full binding.
    template <class F>
    bool bind(const std::vector<Condition>& conds, size_t i, size_t last, F&& done) {
        if (i == last)
            return done();
        const uint32_t upto = (2u << i) - 1;
        bool go_on = true;
        candidates(conds, i, [&](uint32_t id) {
            for (size_t j = 0; j < i; ++j)
                if (q.vars[j].table == q.vars[i].table &&
                    (binding[j] == id ||
                     (q.unordered_pairs && j == 0 && i == 1 && id < binding[j])))
                    return true;
            binding[i] = id;
            for (const auto& c : conds)
                if ((c.vars & upto) == c.vars && (c.vars >> i) & 1 && !holds(c))
                    return true;
            go_on = bind(conds, i + 1, last, done);
            return go_on;
        });
        return go_on;
    }
};

} // namespace

Value eval_operand(const Operand& o, const Facts& facts, const std::vector<Variable>& vars,
                   const std::vector<uint32_t>& binding) {
    switch (o.kind) {
    case Operand::Kind::literal:
        return o.literal;
    case Operand::Kind::field:
        return facts.table(vars[size_t(o.var)].table)
            .records[binding[size_t(o.var)]]
            .values[size_t(o.field)];
    case Operand::Kind::add:
    case Operand::Kind::sub: {
        Value a = eval_operand(o.args[0], facts, vars, binding);
        Value b = eval_operand(o.args[1], facts, vars, binding);
        if (!a.as_int() || !b.as_int())
            return {};
        __int128 x = *a.as_int(), y = *b.as_int();
        return Value(saturating(o.kind == Operand::Kind::add ? x + y : x - y));
    }
    }
    return {};
}

void evaluate(const Query& q, const Facts& facts, QueryIndexCache& cache,
              const std::function<bool(const std::vector<uint32_t>&)>& on_match) {
    Evaluator ev{q, facts, cache.impl(), std::vector<uint32_t>(q.vars.size(), 0)};
    // Conditions without variables hold or fail once for all.
    for (const auto& c : q.where)
        if (c.vars == 0 && !ev.holds(c))
            return;
    ev.bind(q.where, 0, q.for_count, [&] {
        if (!q.unless.empty() && q.vars.size() > q.for_count) {
            bool excepted = false;
            ev.bind(q.unless, q.for_count, q.vars.size(), [&] {
                excepted = true;
                return false;
            });
            if (excepted)
                return true;
        }
        std::vector<uint32_t> found(ev.binding.begin(), ev.binding.begin() + long(q.for_count));
        return on_match(found);
    });
}

} // namespace jailconf::kb
