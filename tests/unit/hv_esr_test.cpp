// hv/arch/arm64/exceptions/esr: the words an exception report is made of.
#include <gtest/gtest.h>

#include <string>

#include "arch/arm64/exceptions/esr.hpp"

namespace {

std::string describe(uint64_t esr) {
    char buffer[160];
    hv::arm64::describe_esr(esr, buffer, sizeof(buffer));
    return buffer;
}

TEST(HvEsr, DataAbortFromACell) {
    // EC 0x24, IL, ISV with SAS/SRT, WnR clear, DFSC 0b000110 (translation fault, level 2).
    EXPECT_EQ(
        describe(0x93c18006),
        "EC 0x24 data abort from a lower EL: translation fault level 2, read (ISS 0x1c18006)");
    EXPECT_EQ(describe(0x9200004f),
              "EC 0x24 data abort from a lower EL: permission fault level 3, write (ISS 0x4f)");
}

TEST(HvEsr, AbortsAtEl2AndOtherClasses) {
    EXPECT_EQ(describe(0x96000045),
              "EC 0x25 data abort at EL2: translation fault level 1, write (ISS 0x45)");
    EXPECT_EQ(describe(0x82000006),
              "EC 0x20 instruction abort from a lower EL: translation fault level 2 (ISS 0x6)");
    EXPECT_EQ(describe(0x5e000000), "EC 0x17 SMC (ISS 0x0)");
    EXPECT_EQ(describe(0x02000000), "EC 0x00 unknown reason (undefined instruction) (ISS 0x0)");
    EXPECT_EQ(describe(uint64_t(0x3b) << 26), "EC 0x3b unknown class (ISS 0x0)");
}

TEST(HvEsr, FaultStatusCodes) {
    using namespace hv::arm64;
    EXPECT_STREQ(fault_status_name(0x21), "alignment fault");
    EXPECT_EQ(fault_level(0x21), -1);
    EXPECT_STREQ(fault_status_name(0x0b), "access flag fault");
    EXPECT_EQ(fault_level(0x0b), 3);
    EXPECT_TRUE(fault_is_permission(0x0d));
    EXPECT_FALSE(fault_is_permission(0x07));
}

TEST(HvEsr, ShortBuffersStayTerminated) {
    char buffer[12];
    size_t n = hv::arm64::describe_esr(0x93c18006, buffer, sizeof(buffer));
    EXPECT_EQ(std::string(buffer), "EC 0x24 dat");
    EXPECT_GT(n, sizeof(buffer));
}

} // namespace
