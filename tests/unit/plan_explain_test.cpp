// explain: the provenance file round-trips, every resource of a planned system has an origin,
// hand-written files are reported as such, and --resource filters as documented.
#include "plan_support.hpp"

namespace jailconf {
namespace {

using namespace testing;

struct Fixture {
    plan::PlanResult plan;
    System loaded;
    std::vector<plan::Provenance> provenance;
};

Fixture planned() {
    Fixture fx;
    auto inv = scan_fixture_dtb("qemu-virt-gicv3.dtb");
    auto text = read_file(JAILCONF_SOURCE_DIR "/examples/request.yaml");
    EXPECT_TRUE(text.has_value());
    auto p = plan_text(inv, *text);
    EXPECT_TRUE(p.result) << p.error();
    if (!p.result)
        return fx;
    fx.plan = *p.result;
    Diagnostics diags;
    auto loaded = load_system_from_string(to_yaml(fx.plan.system), "out/system.yaml", diags);
    EXPECT_TRUE(loaded.has_value());
    if (loaded)
        fx.loaded = *loaded;
    auto files = plan::render_plan(fx.plan, "inv.yaml", "req.yaml");
    auto prov = plan::parse_provenance(files.back().text, "out/provenance.yaml");
    EXPECT_TRUE(prov.has_value()) << (prov ? "" : prov.error());
    if (prov)
        fx.provenance = *prov;
    return fx;
}

TEST(PlanExplain, ProvenanceRoundTripsAndCoversEveryResource) {
    Fixture fx = planned();
    ASSERT_EQ(fx.provenance.size(), fx.plan.provenance.size());
    for (size_t i = 0; i < fx.provenance.size(); ++i) {
        EXPECT_EQ(fx.provenance[i].key, fx.plan.provenance[i].key);
        EXPECT_EQ(fx.provenance[i].fact, fx.plan.provenance[i].fact);
    }
    auto items = plan::explain(plan::list_resources(fx.loaded), fx.provenance);
    ASSERT_FALSE(items.empty());
    for (const auto& e : items) {
        ASSERT_TRUE(e.provenance) << e.resource.cell << " " << e.resource.key;
        EXPECT_TRUE(e.resource.loc.known());
    }
    // rt's CPU comes from the request line 10 and the inventory's cpu node.
    bool cpu = false;
    for (const auto& e : items)
        if (e.resource.cell == "rt" && e.resource.kind == "cpus") {
            cpu = true;
            EXPECT_EQ(e.provenance->request, "req.yaml:10:11");
            EXPECT_NE(e.provenance->fact.find("qemu-virt-gicv3.dtb:/cpus/cpu@3"), std::string::npos)
                << e.provenance->fact;
        }
    EXPECT_TRUE(cpu);
    std::string text = plan::explain_text(items, true);
    EXPECT_NE(text.find("cell rt:"), std::string::npos);
    EXPECT_NE(text.find("/pl031@9010000"), std::string::npos);
    auto json = plan::explain_json(items, true);
    EXPECT_NE(json.find("\"source\": \"request\""), std::string::npos);
}

TEST(PlanExplain, HandWrittenFilesSayTheyAre) {
    Diagnostics diags;
    auto s = load_system(JAILCONF_SOURCE_DIR "/examples/qemu-virt.yaml", diags);
    ASSERT_TRUE(s.has_value());
    auto items = plan::explain(plan::list_resources(*s), {});
    ASSERT_FALSE(items.empty());
    for (const auto& e : items) {
        EXPECT_FALSE(e.provenance);
        EXPECT_NE(e.resource.loc.file.find("qemu-virt.yaml"), std::string::npos);
        EXPECT_GT(e.resource.loc.line, 0u);
    }
    EXPECT_NE(plan::explain_text(items, false).find("written by hand"), std::string::npos);
}

TEST(PlanExplain, ResourceFilters) {
    Fixture fx = planned();
    auto all = plan::list_resources(fx.loaded);
    auto keys = [&](const std::string& f) {
        std::vector<std::string> out;
        auto r = plan::filter_resources(all, f, fx.loaded);
        EXPECT_TRUE(r.has_value()) << f;
        if (r)
            for (const auto& x : *r)
                out.push_back(x.cell + "/" + x.key);
        return out;
    };
    for (const auto& k : keys("rt.memory"))
        EXPECT_TRUE(k.starts_with("rt/memory ")) << k;
    EXPECT_EQ(keys("rt.cpus"), std::vector<std::string>{"rt/cpu 3"});
    EXPECT_EQ(keys("cpu:2"), std::vector<std::string>{"worker/cpu 2"});
    EXPECT_EQ(keys("0x9010000"), std::vector<std::string>{"rt/memory 0x9010000"});
    EXPECT_EQ(keys("irq:34"), std::vector<std::string>{"rt/irq 34"});
    auto rt = keys("rt");
    EXPECT_NE(std::find(rt.begin(), rt.end(), "links/link ping"), rt.end()); // rt is a peer
    EXPECT_EQ(keys("ping").size(), 2u);                                      // memory, doorbell
    EXPECT_EQ(keys("rt.memory.comm").size(), 1u);
    EXPECT_FALSE(plan::filter_resources(all, "nosuchcell", fx.loaded));
    EXPECT_FALSE(plan::filter_resources(all, "rt.nosuchkind", fx.loaded));
    EXPECT_FALSE(plan::filter_resources(all, "", fx.loaded));
}

TEST(PlanExplain, MalformedProvenanceNamesTheLine) {
    auto r = plan::parse_provenance("format: jailconf-provenance/1\nresources:\n  - {cell: a}\n",
                                    "p.yaml");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("p.yaml:3:"), std::string::npos) << r.error();
    EXPECT_FALSE(plan::parse_provenance("format: jailconf/1\n", "p.yaml"));
}

} // namespace
} // namespace jailconf
