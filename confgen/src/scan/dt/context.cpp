#include "scan/dt/interpret.hpp"

namespace jailconf::scan::dt {

Context::Context(const Index& i, const Interrupts& q, inventory::Inventory& v)
    : index(i), irqs(q), inv(v), claimed(i.size(), 0) {
    if (i.size() == 0)
        return;
    // Iterative pre-order walk (no recursion): children pushed in reverse pop in order.
    std::vector<uint32_t> stack{0};
    preorder.reserve(i.size());
    while (!stack.empty()) {
        uint32_t n = stack.back();
        stack.pop_back();
        preorder.push_back(n);
        const auto& children = i.node(n).children;
        for (auto it = children.rbegin(); it != children.rend(); ++it)
            stack.push_back(*it);
    }
}

void Context::claim_subtree(uint32_t n) {
    std::vector<uint32_t> stack{n};
    while (!stack.empty()) {
        uint32_t m = stack.back();
        stack.pop_back();
        claimed[m] = 1;
        for (uint32_t c : index.node(m).children)
            stack.push_back(c);
    }
}

void Context::warn(std::string code, std::string message) {
    inv.warnings.push_back(inventory::Warning{std::move(code), std::move(message)});
}

} // namespace jailconf::scan::dt
