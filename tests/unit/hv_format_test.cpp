// hv/core/format: the freestanding printf-like formatter the hypervisor and the inmates print
// with. Each case compares against what the C library's snprintf gives for the same format.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/format/format.hpp"

// The helpers forward each case's format string to both formatters; a forwarded format cannot be
// checked at compile time, which is what these warnings ask for.
#pragma GCC diagnostic ignored "-Wformat-security"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

namespace {

template <class... Args> std::string hv_format(const char* format, Args... args) {
    char buffer[256];
    size_t n = hv::fmt::format_to(buffer, sizeof(buffer), format, args...);
    EXPECT_EQ(n, std::string(buffer).size());
    return buffer;
}

template <class... Args> std::string libc_format(const char* format, Args... args) {
    char buffer[256];
    std::snprintf(buffer, sizeof(buffer), format, args...);
    return buffer;
}

#define EXPECT_LIKE_LIBC(...) EXPECT_EQ(hv_format(__VA_ARGS__), libc_format(__VA_ARGS__))

TEST(HvFormat, IntegersLikeLibc) {
    EXPECT_LIKE_LIBC("%d %i %u", -42, 7, 42u);
    EXPECT_LIKE_LIBC("%d", INT32_MIN);
    EXPECT_LIKE_LIBC("%ld", INT64_MIN);
    EXPECT_LIKE_LIBC("%lu %lx %lX", UINT64_MAX, uint64_t(0xdeadbeefcafe), uint64_t(0xabcdef));
    EXPECT_LIKE_LIBC("%llu %zu", 123ull, size_t(99));
    EXPECT_LIKE_LIBC("%hhu %hu %hhd", 300u, 70000u, 200);
    EXPECT_LIKE_LIBC("%x", 0u);
}

TEST(HvFormat, WidthPaddingAndJustification) {
    EXPECT_LIKE_LIBC("[%8x]", 0x1234u);
    EXPECT_LIKE_LIBC("[%08x]", 0x1234u);
    EXPECT_LIKE_LIBC("[%-8x]", 0x1234u);
    EXPECT_LIKE_LIBC("[%05d]", -42);
    EXPECT_LIKE_LIBC("[%016lx]", uint64_t(0x7c000000));
    EXPECT_LIKE_LIBC("[%-6s|%6s]", "ab", "cd");
    EXPECT_LIKE_LIBC("[%3c]", 'z');
    EXPECT_LIKE_LIBC("[%-2u]", 123u);
}

TEST(HvFormat, StringsCharsAndPercent) {
    EXPECT_LIKE_LIBC("%s=%c%%", "cell", 'x');
    EXPECT_EQ(hv_format("%s", static_cast<const char*>(nullptr)), "(null)");
}

TEST(HvFormat, PointerShowsEveryDigit) {
    EXPECT_EQ(hv_format("%p", reinterpret_cast<void*>(0x48000000)), "0x0000000048000000");
}

TEST(HvFormat, MalformedConversionIsPrintedAsWritten) {
    // Unknown conversions consume no argument, so the next one still gets the right value.
    EXPECT_EQ(hv_format("%q %d", 5), "%q 5");
    EXPECT_EQ(hv_format("%ls|%d", 5), "%ls|5");
    EXPECT_EQ(hv_format("100%"), "100%");
}

TEST(HvFormat, BufferIsBoundedAndTerminated) {
    char buffer[8];
    size_t n = hv::fmt::format_to(buffer, sizeof(buffer), "cell %s cpu %u", "hello", 3u);
    EXPECT_EQ(n, std::string("cell hello cpu 3").size()); // the full length, like snprintf
    EXPECT_STREQ(buffer, "cell he");
    char one[1] = {'x'};
    EXPECT_EQ(hv::fmt::format_to(one, 1, "abc"), 3u);
    EXPECT_EQ(one[0], '\0');
    EXPECT_EQ(hv::fmt::format_to(nullptr, 0, "abc"), 3u);
}

TEST(HvFormat, SinkReceivesEverything) {
    std::string out;
    hv::fmt::Sink sink{[](void* context, const char* text, size_t length) {
                           static_cast<std::string*>(context)->append(text, length);
                       },
                       &out};
    size_t n = hv::fmt::format(sink, "stray %s at 0x%lx (pc 0x%lx)\n", "read", uint64_t(0x7c000000),
                               uint64_t(0x48000fd0));
    EXPECT_EQ(out, "stray read at 0x7c000000 (pc 0x48000fd0)\n");
    EXPECT_EQ(n, out.size());
}

} // namespace
