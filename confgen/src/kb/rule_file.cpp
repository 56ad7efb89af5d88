// Loading kb rule and data files: YAML, the meta-schema (kb/schema/*.schema.json), then the
// references a schema cannot check: tables, fields and variables. A rule with a mistake is
// reported at its line and left out; the others still load.
#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "kb/rule.hpp"
#include "util/spelling.hpp"
#include "yaml/document.hpp"
#include "yaml/schema_validation.hpp"

namespace jailconf::kb {
namespace {

using nlohmann::json;
using yaml::pointer_append;

std::string join(const std::vector<std::string_view>& names) {
    std::string out;
    for (auto n : names)
        out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

class RuleBuilder {
  public:
    RuleBuilder(const yaml::Document& doc, Diagnostics& diags) : doc_(doc), diags_(diags) {}

    std::optional<Rule> build(const json& j, const std::string& ptr) {
        ok_ = true;
        Rule rule;
        KbRuleSummary& s = rule.summary;
        s.id = j["id"].get<std::string>();
        s.severity = j["severity"] == "error"     ? Severity::error
                     : j["severity"] == "warning" ? Severity::warning
                                                  : Severity::note;
        s.title = j["title"].get<std::string>();
        s.rationale = j["rationale"].get<std::string>();
        s.loc = doc_.map.value(ptr);
        if (j.contains("applies_to")) {
            const json& a = j["applies_to"];
            if (a.contains("arch"))
                for (const auto& x : a["arch"])
                    s.arch.push_back(x.get<std::string>());
            s.needs_inventory = a.value("needs_inventory", false);
        }
        Query& q = rule.query;
        add_vars(q, j["for"], pointer_append(ptr, "for"));
        q.for_count = q.vars.size();
        q.unordered_pairs = j.value("pairs", "ordered") == "unordered";
        if (j.contains("where"))
            q.where = conditions(q, j["where"], pointer_append(ptr, "where"));
        if (j.contains("unless")) {
            std::string uptr = pointer_append(ptr, "unless");
            add_vars(q, j["unless"]["for"], pointer_append(uptr, "for"));
            if (q.vars.size() != q.for_count + 1)
                error(pointer_append(uptr, "for"), "`unless` binds exactly one variable",
                      "write `for: {c: table}`");
            q.unless = conditions(q, j["unless"]["where"], pointer_append(uptr, "where"));
        }
        for (const auto& v : q.vars)
            s.tables.emplace_back(fact_tables()[v.table].name);
        std::sort(s.tables.begin(), s.tables.end());
        s.tables.erase(std::unique(s.tables.begin(), s.tables.end()), s.tables.end());
        for (const auto& name : s.tables)
            s.needs_inventory |= find_table(name)->needs_inventory;
        rule.report_var = 0;
        if (j.contains("report"))
            rule.report_var =
                for_var(q, j["report"].get<std::string>(), pointer_append(ptr, "report"));
        rule.message =
            parse_template(q, j["message"].get<std::string>(), pointer_append(ptr, "message"));
        rule.fix = parse_template(q, j["fix"].get<std::string>(), pointer_append(ptr, "fix"));
        if (j.contains("related")) {
            std::string rptr = pointer_append(ptr, "related");
            int at = for_var(q, j["related"]["at"].get<std::string>(), pointer_append(rptr, "at"));
            rule.related = {at, parse_template(q, j["related"]["message"].get<std::string>(),
                                               pointer_append(rptr, "message"))};
        }
        if (!ok_)
            return std::nullopt;
        return rule;
    }

  private:
    void error(const std::string& ptr, std::string message, std::string fix) {
        diags_.report("JC-KB-RULE", doc_.map.value(ptr), std::move(message), std::move(fix));
        ok_ = false;
    }

    // Variables bind in the order they are written (the JSON object is sorted by key, so the
    // order comes from the source positions).
    void add_vars(Query& q, const json& vars, const std::string& ptr) {
        std::vector<std::pair<std::string, std::string>> written;
        for (auto it = vars.begin(); it != vars.end(); ++it)
            written.emplace_back(it.key(), it.value().get<std::string>());
        std::stable_sort(written.begin(), written.end(), [&](const auto& x, const auto& y) {
            SourceLocation lx = doc_.map.key(pointer_append(ptr, x.first));
            SourceLocation ly = doc_.map.key(pointer_append(ptr, y.first));
            return std::tie(lx.line, lx.column) < std::tie(ly.line, ly.column);
        });
        for (const auto& entry : written) {
            const std::string& key = entry.first;
            const std::string& name = entry.second;
            const TableInfo* t = find_table(name);
            if (!t) {
                std::vector<std::string_view> names;
                for (const auto& info : fact_tables())
                    names.push_back(info.name);
                std::string guess = closest_name(name, names, default_max_edits(name));
                error(pointer_append(ptr, key), fmt::format("unknown fact table '{}'", name),
                      guess.empty() ? fmt::format("use one of: {}", join(names))
                                    : fmt::format("did you mean '{}'?", guess));
                continue;
            }
            if (std::any_of(q.vars.begin(), q.vars.end(),
                            [&](const Variable& v) { return v.name == key; })) {
                error(pointer_append(ptr, key), fmt::format("variable '{}' is already bound", key),
                      "give the `unless` variable another letter");
                continue;
            }
            q.vars.push_back({key, size_t(t - fact_tables().data())});
        }
    }

    int for_var(const Query& q, const std::string& name, const std::string& ptr) {
        for (size_t i = 0; i < q.for_count; ++i)
            if (q.vars[i].name == name)
                return int(i);
        error(ptr, fmt::format("'{}' is not a variable of `for`", name),
              "name one of the variables bound in `for`");
        return 0;
    }

    // "$a.field" -> field operand.
    std::optional<Operand> field_ref(const Query& q, std::string_view text,
                                     const std::string& ptr) {
        size_t dot = text.find('.');
        if (dot == std::string_view::npos) {
            error(ptr, fmt::format("'{}' is not a field reference", text),
                  "write $variable.field, e.g. $a.cell");
            return std::nullopt;
        }
        std::string var(text.substr(0, dot));
        std::string field(text.substr(dot + 1));
        for (size_t i = 0; i < q.vars.size(); ++i) {
            if (q.vars[i].name != var)
                continue;
            const TableInfo& t = fact_tables()[q.vars[i].table];
            int f = t.field_index(field);
            if (f < 0) {
                std::vector<std::string_view> names;
                for (const auto& fi : t.fields)
                    names.push_back(fi.name);
                std::string guess = closest_name(field, names, default_max_edits(field));
                error(ptr, fmt::format("table '{}' has no field '{}'", t.name, field),
                      guess.empty() ? fmt::format("fields of {}: {}", t.name, join(names))
                                    : fmt::format("did you mean '{}'?", guess));
                return std::nullopt;
            }
            Operand o;
            o.kind = Operand::Kind::field;
            o.var = int(i);
            o.field = f;
            return o;
        }
        error(ptr, fmt::format("unknown variable '{}'", var),
              "bind it in `for` (or `unless`) first");
        return std::nullopt;
    }

    Operand operand(const Query& q, const json& j, const std::string& ptr) {
        Operand o;
        if (j.is_string()) {
            const std::string& s = j.get_ref<const std::string&>();
            if (s.starts_with("$")) {
                if (auto ref = field_ref(q, std::string_view(s).substr(1), ptr))
                    return *ref;
                return o;
            }
            o.literal = Value(s);
        } else if (j.is_boolean()) {
            o.literal = Value(j.get<bool>());
        } else if (j.is_number_integer()) {
            o.literal = j.is_number_unsigned() ? Value(j.get<uint64_t>()) : Value(j.get<int64_t>());
        } else if (j.is_array()) {
            IntList ints;
            StrList strs;
            for (const auto& x : j) {
                if (x.is_string())
                    strs.push_back(x.get<std::string>());
                else
                    ints.push_back(x.get<int64_t>());
            }
            if (!ints.empty() && !strs.empty())
                error(ptr, "a literal list mixes numbers and strings", "use one kind per list");
            o.literal = strs.empty() ? Value(std::move(ints)) : Value(std::move(strs));
        } else if (j.is_object()) {
            std::string key = j.begin().key();
            o.kind = key == "add" ? Operand::Kind::add : Operand::Kind::sub;
            std::string aptr = pointer_append(ptr, key);
            for (size_t i = 0; i < 2; ++i)
                o.args.push_back(operand(q, j[key][i], pointer_append(aptr, i)));
        }
        return o;
    }

    std::vector<Condition> conditions(const Query& q, const json& list, const std::string& ptr) {
        std::vector<Condition> out;
        for (size_t i = 0; i < list.size(); ++i)
            out.push_back(condition(q, list[i], pointer_append(ptr, i)));
        return out;
    }

    Condition condition(const Query& q, const json& j, const std::string& ptr) {
        static const std::vector<std::pair<std::string_view, Op>> ops = {
            {"eq", Op::eq},
            {"ne", Op::ne},
            {"lt", Op::lt},
            {"le", Op::le},
            {"gt", Op::gt},
            {"ge", Op::ge},
            {"in", Op::in},
            {"not_in", Op::not_in},
            {"intersects", Op::intersects},
            {"matches", Op::matches},
            {"overlaps", Op::overlaps},
            {"within", Op::within},
            {"set", Op::set},
            {"unset", Op::unset},
            {"any", Op::any},
            {"all", Op::all},
            {"not", Op::not_}};
        Condition c;
        const std::string key = j.begin().key();
        const json& arg = j.begin().value();
        const std::string aptr = pointer_append(ptr, key);
        for (const auto& [name, op] : ops)
            if (name == key)
                c.op = op;
        switch (c.op) {
        case Op::any:
        case Op::all:
            c.children = conditions(q, arg, aptr);
            break;
        case Op::not_:
            c.children.push_back(condition(q, arg, aptr));
            break;
        case Op::set:
        case Op::unset:
            c.operands.push_back(operand(q, arg, aptr));
            break;
        case Op::overlaps:
        case Op::within:
            for (size_t i = 0; i < 2; ++i)
                for (size_t k = 0; k < 2; ++k)
                    c.operands.push_back(
                        operand(q, arg[i][k], pointer_append(pointer_append(aptr, i), k)));
            break;
        default:
            for (size_t i = 0; i < 2; ++i)
                c.operands.push_back(operand(q, arg[i], pointer_append(aptr, i)));
        }
        for (const auto& o : c.operands)
            c.vars |= o.vars_mask();
        for (const auto& ch : c.children)
            c.vars |= ch.vars;
        return c;
    }

    Template parse_template(const Query& q, const std::string& text, const std::string& ptr) {
        Template t;
        size_t at = 0;
        while (at < text.size()) {
            size_t open = text.find('{', at);
            if (open == std::string::npos) {
                t.parts.push_back({text.substr(at), std::nullopt, false});
                break;
            }
            size_t close = text.find('}', open);
            if (close == std::string::npos) {
                error(ptr, "unclosed '{' in the template", "close it: {a.field}");
                break;
            }
            if (open > at)
                t.parts.push_back({text.substr(at, open - at), std::nullopt, false});
            std::string ref = text.substr(open + 1, close - open - 1);
            bool hex = ref.ends_with(":x");
            if (hex)
                ref.resize(ref.size() - 2);
            if (auto o = field_ref(q, ref, ptr); o && o->var < int(q.for_count))
                t.parts.push_back({{}, *o, hex});
            else if (o)
                error(ptr,
                      fmt::format(
                          "'{}' names the `unless` variable, which has no value in a finding", ref),
                      "use a variable of `for`");
            at = close + 1;
        }
        return t;
    }

    const yaml::Document& doc_;
    Diagnostics& diags_;
    bool ok_ = true;
};

} // namespace

std::string Template::render(const Facts& facts, const std::vector<Variable>& vars,
                             const std::vector<uint32_t>& binding) const {
    std::string out;
    for (const auto& p : parts)
        out += p.ref ? eval_operand(*p.ref, facts, vars, binding).str(p.hex) : p.text;
    return out;
}

namespace {

std::vector<Rule> rules_of(const yaml::Document& doc, Diagnostics& diags) {
    std::vector<Rule> rules;
    if (!yaml::validate_document(doc, yaml::DocumentRole::kb_rules, diags))
        return rules;
    RuleBuilder builder(doc, diags);
    const json& list = doc.root["rules"];
    for (size_t i = 0; i < list.size(); ++i)
        if (auto r = builder.build(list[i], pointer_append("/rules", i)))
            rules.push_back(std::move(*r));
    return rules;
}

bool quirks_of(const yaml::Document& doc, QuirkData& out, Diagnostics& diags) {
    if (!yaml::validate_document(doc, yaml::DocumentRole::kb_data, diags))
        return false;
    auto strings = [](const json& j) {
        std::vector<std::string> v;
        for (const auto& x : j)
            v.push_back(x.get<std::string>());
        return v;
    };
    if (doc.root.contains("devices"))
        for (const auto& d : doc.root["devices"])
            out.devices.push_back({d.value("pci", ""), d.value("compatible", ""),
                                   strings(d["quirks"]), d["note"].get<std::string>()});
    if (doc.root.contains("boards"))
        for (const auto& b : doc.root["boards"])
            out.boards.push_back({b.value("compatible", ""), b.value("model", ""),
                                  strings(b["quirks"]), b["note"].get<std::string>()});
    return true;
}

} // namespace

void parse_kb_file(std::string_view text, const std::string& name, std::vector<Rule>& rules,
                   QuirkData& quirks, Diagnostics& diags) {
    auto doc = yaml::parse_document(text, name, diags);
    if (!doc)
        return;
    // A data file says `devices:` or `boards:` at the top. Anything else is read as rules, so
    // that its schema errors say what a rule file needs.
    const json& root = doc->root;
    bool data = root.is_object() && !root.contains("rules") &&
                (root.contains("devices") || root.contains("boards"));
    if (data) {
        quirks_of(*doc, quirks, diags);
        return;
    }
    for (auto& r : rules_of(*doc, diags))
        rules.push_back(std::move(r));
}

} // namespace jailconf::kb
