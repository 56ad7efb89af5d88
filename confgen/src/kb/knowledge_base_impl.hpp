#pragma once

#include "confgen/lint.hpp"
#include "kb/rule.hpp"

namespace jailconf {

struct KnowledgeBase::Impl {
    std::vector<kb::Rule> rules;
    kb::QuirkData quirks;
};

} // namespace jailconf
