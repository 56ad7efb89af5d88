// Machine file access: the allow-list, the directory and snapshot views, the tar container and
// `collect`. The fixture is a real machine's snapshot (tests/fixtures/machines/x86-vm).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>

#include "confgen/collect.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/read_file.hpp"
#include "scan/files/allow_list.hpp"
#include "scan/files/tar_archive.hpp"

namespace jailconf {
namespace {

namespace fs = std::filesystem;
using scan::TarEntry;

const std::string machine_dir = JAILCONF_FIXTURES "/machines/x86-vm";

std::unique_ptr<MachineFiles> fixture_machine() {
    auto m = open_machine_directory(machine_dir);
    EXPECT_TRUE(m.has_value());
    return m ? std::move(*m) : nullptr;
}

TEST(AllowList, AllowsWhatTheScannerReadsAndNothingElse) {
    EXPECT_TRUE(path_allowed("/proc/iomem"));
    EXPECT_TRUE(path_allowed("/sys/bus/pci/devices/0000:00:01.0/config"));
    EXPECT_TRUE(path_allowed("/sys/firmware/devicetree/base/cpus/cpu@0/reg"));
    EXPECT_TRUE(path_allowed("/sys/devices/system/cpu/cpu12/online"));
    EXPECT_FALSE(path_allowed("/sys/devices/system/cpu/cpufreq/online"));
    EXPECT_FALSE(path_allowed("/etc/shadow"));
    EXPECT_FALSE(path_allowed("/proc/self/environ"));
    EXPECT_FALSE(path_allowed("/sys/bus/pci/devices/0000:00:01.0/remove"));
    EXPECT_FALSE(path_allowed("/sys/firmware/devicetree/base/../../../etc/passwd"));
    EXPECT_FALSE(path_allowed("/sys/firmware/devicetree/base/x/../../../../etc/passwd"));
    EXPECT_FALSE(path_allowed("/sys/bus/pci/devices/../../../etc/config"));
    EXPECT_FALSE(path_allowed("proc/iomem"));
    EXPECT_TRUE(scan::directory_allowed("/sys/bus/pci/devices"));
    EXPECT_TRUE(scan::directory_allowed("/sys/firmware/devicetree/base/soc/pcie@0"));
    EXPECT_FALSE(scan::directory_allowed("/etc"));
    EXPECT_FALSE(scan::directory_allowed("/sys/bus/pci/devices/0000:00:01.0/config"));
}

TEST(MachineDirectory, ReadsAllowedFilesAndRefusesTheRest) {
    auto m = fixture_machine();
    auto iomem = m->read("/proc/iomem");
    ASSERT_TRUE(iomem.has_value()) << iomem.error().str();
    EXPECT_NE(iomem->find("System RAM"), std::string::npos);
    auto cfg = m->read("/sys/bus/pci/devices/0000:00:00.0/config");
    ASSERT_TRUE(cfg.has_value());
    EXPECT_EQ(cfg->size(), 4096u);
    EXPECT_EQ(m->read("/etc/passwd").error().kind, ScanError::Kind::not_allowed);
    EXPECT_EQ(m->read("/sys/class/dmi/id/board_serial").error().kind, ScanError::Kind::not_allowed);
    EXPECT_EQ(m->read("/sys/firmware/devicetree/base/model").error().kind,
              ScanError::Kind::not_found);
    EXPECT_EQ(m->read("/proc/iomem", 10).error().kind, ScanError::Kind::too_large);
    auto link = m->read_link("/sys/bus/pci/devices/0000:00:01.0/driver");
    ASSERT_TRUE(link.has_value());
    EXPECT_NE(link->find("virtio-pci"), std::string::npos);
    auto devices = m->list("/sys/bus/pci/devices");
    ASSERT_TRUE(devices.has_value());
    EXPECT_EQ(devices->size(), 6u);
    EXPECT_TRUE(std::is_sorted(devices->begin(), devices->end()));
    // A listing shows only what the allow-list reaches, so it equals a snapshot's listing.
    auto attrs = m->list("/sys/bus/pci/devices/0000:00:01.0");
    ASSERT_TRUE(attrs.has_value());
    for (const auto& a : *attrs)
        EXPECT_TRUE(path_allowed("/sys/bus/pci/devices/0000:00:01.0/" + a)) << a;
}

TEST(MachineDirectory, MissingRootIsAnError) {
    auto m = open_machine_directory("/nonexistent/jailconf");
    ASSERT_FALSE(m.has_value());
    EXPECT_EQ(m.error().kind, ScanError::Kind::not_found);
    auto f = open_machine_directory(machine_dir + "/proc/iomem");
    ASSERT_FALSE(f.has_value());
    EXPECT_NE(f.error().fix.find("--snapshot"), std::string::npos);
}

std::vector<TarEntry> sample_entries() {
    return {
        {TarEntry::Type::file, "a/b/c.txt", "hello\n"},
        {TarEntry::Type::directory, "a/empty", {}},
        {TarEntry::Type::file, "a/" + std::string(150, 'n') + "/deep/" + std::string(90, 'f'),
         std::string(1000, 'x')},
        {TarEntry::Type::symlink, "a/link", "../../kernel/iommu_groups/3"},
        {TarEntry::Type::symlink, "a/longlink", std::string(120, 'l')},
        {TarEntry::Type::file, "a/empty-file", ""},
        {TarEntry::Type::file, "a/binary", std::string("\0\1\2\xff", 4)},
    };
}

bool same(const TarEntry& a, const TarEntry& b) {
    return a.type == b.type && a.path == b.path && a.content == b.content;
}

TEST(Tar, RoundTripsLongNamesLinksAndBinaryContent) {
    auto entries = sample_entries();
    std::string archive = scan::write_tar(entries);
    EXPECT_EQ(archive.size() % 512, 0u);
    auto back = scan::read_tar(archive, "t.tar");
    ASSERT_TRUE(back.has_value()) << back.error().str();
    ASSERT_EQ(back->size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i)
        EXPECT_TRUE(same((*back)[i], entries[i])) << entries[i].path;
}

// GNU tar, an independent implementation, extracts what write_tar wrote.
TEST(Tar, GnuTarExtractsOurArchives) {
    fs::path dir = fs::temp_directory_path() / "jailconf-tar-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "out");
    std::string archive = scan::write_tar(sample_entries());
    std::ofstream(dir / "t.tar", std::ios::binary)
        .write(archive.data(), std::streamsize(archive.size()));
    std::string cmd = "tar -xf " + (dir / "t.tar").string() + " -C " + (dir / "out").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    for (const auto& e : sample_entries()) {
        fs::path p = dir / "out" / e.path;
        switch (e.type) {
        case TarEntry::Type::file: {
            auto data = read_file(p);
            ASSERT_TRUE(data.has_value()) << e.path;
            EXPECT_EQ(*data, e.content);
            break;
        }
        case TarEntry::Type::directory:
            EXPECT_TRUE(fs::is_directory(p));
            break;
        case TarEntry::Type::symlink:
            EXPECT_EQ(fs::read_symlink(p).string(), e.content);
            break;
        }
    }
    fs::remove_all(dir);
}

TEST(Tar, EveryTruncationIsAnErrorOrAPrefix) {
    std::string archive = scan::write_tar(sample_entries());
    for (size_t len = 0; len < archive.size(); len += 37) {
        auto r = scan::read_tar(std::string_view(archive).substr(0, len), "t.tar");
        if (r) {
            EXPECT_LE(r->size(), sample_entries().size());
        } else {
            EXPECT_EQ(r.error().kind, ScanError::Kind::malformed);
            ASSERT_TRUE(r.error().offset.has_value());
            EXPECT_LE(*r.error().offset, len);
        }
    }
}

TEST(Tar, DamagedHeaderAndUnsafeNamesAreRefusedWithOffset) {
    std::string archive = scan::write_tar(sample_entries());
    std::string flipped = archive;
    flipped[3] ^= 0x20;
    auto r = scan::read_tar(flipped, "t.tar");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().offset, 148u); // the checksum field of the first header
    for (const char* name : {"../escape", "/etc/passwd", "a/../../b", "a//b"}) {
        auto bad = scan::read_tar(scan::write_tar({{TarEntry::Type::file, name, "x"}}), "t.tar");
        ASSERT_FALSE(bad.has_value()) << name;
        EXPECT_NE(bad.error().message.find("unsafe"), std::string::npos);
    }
    std::string huge = scan::write_tar({{TarEntry::Type::file, "f", "x"}});
    huge.replace(124, 11, "77777777777");
    // Recompute nothing: the checksum now fails first, which is also a precise refusal.
    EXPECT_FALSE(scan::read_tar(huge, "t.tar").has_value());
}

// Every view of the same machine agrees: a directory copy, and the snapshot collected from it.
void expect_same_tree(const MachineFiles& a, const MachineFiles& b, const std::string& dir,
                      int depth = 0) {
    ASSERT_LT(depth, 64);
    // An empty directory has no entry in a snapshot (nor in a git checkout): absent and empty
    // are the same to the scanners.
    auto listing = [&dir](const MachineFiles& m) {
        auto names = m.list(dir);
        return names ? std::move(*names) : std::vector<std::string>{};
    };
    auto without_empty_dirs = [&dir](const MachineFiles& m, std::vector<std::string> names) {
        std::erase_if(names, [&](const std::string& n) {
            std::string p = (dir == "/" ? "" : dir) + "/" + n;
            if (!m.is_directory(p))
                return false;
            auto inner = m.list(p);
            return !inner || inner->empty();
        });
        return names;
    };
    auto la = without_empty_dirs(a, listing(a));
    auto lb = without_empty_dirs(b, listing(b));
    EXPECT_EQ(la, lb) << dir;
    for (const auto& name : la) {
        std::string path = (dir == "/" ? "" : dir) + "/" + name;
        if (a.is_directory(path)) {
            EXPECT_TRUE(b.is_directory(path)) << path;
            if (scan::directory_allowed(path))
                expect_same_tree(a, b, path, depth + 1);
            continue;
        }
        auto link = a.read_link(path);
        if (link) {
            EXPECT_EQ(*link, *b.read_link(path)) << path;
            continue;
        }
        auto fa = a.read(path);
        auto fb = b.read(path);
        ASSERT_TRUE(fa.has_value()) << path;
        ASSERT_TRUE(fb.has_value()) << path << ": " << fb.error().str();
        EXPECT_EQ(*fa, *fb) << path;
    }
}

TEST(Collect, SnapshotOfADirectoryReadsTheSameAsTheDirectory) {
    auto m = fixture_machine();
    auto snap = collect_snapshot(*m);
    ASSERT_TRUE(snap.has_value()) << snap.error().str();
    EXPECT_TRUE(snap->warnings.empty());
    EXPECT_GT(snap->files, 50u);
    fs::path tar = fs::temp_directory_path() / "jailconf-collect-test.tar";
    std::ofstream(tar, std::ios::binary)
        .write(snap->archive.data(), std::streamsize(snap->archive.size()));
    auto s = open_snapshot(tar.string());
    ASSERT_TRUE(s.has_value()) << s.error().str();
    for (const char* dir : {"/proc", "/sys/bus/pci/devices", "/sys/firmware/acpi/tables",
                            "/sys/devices/system/cpu", "/sys/class/dmi/id"})
        expect_same_tree(*m, **s, dir);
    EXPECT_EQ((*s)->read("/etc/passwd").error().kind, ScanError::Kind::not_allowed);
    fs::remove(tar);
}

TEST(Collect, SameMachineGivesTheSameBytes) {
    auto m = fixture_machine();
    auto a = collect_snapshot(*m);
    auto b = collect_snapshot(*m);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->archive, b->archive);
}

TEST(Collect, TheCommittedSnapshotOpensAndMatchesItsExtractedCopy) {
    auto s = open_snapshot(JAILCONF_FIXTURES "/snapshot/x86-vm.tar");
    ASSERT_TRUE(s.has_value()) << s.error().str();
    auto m = fixture_machine();
    expect_same_tree(*m, **s, "/sys/bus/pci/devices");
    expect_same_tree(*m, **s, "/sys/firmware/acpi/tables");
}

TEST(Collect, NothingReadableIsAnError) {
    fs::path empty = fs::temp_directory_path() / "jailconf-empty-machine";
    fs::create_directories(empty);
    auto m = open_machine_directory(empty.string());
    ASSERT_TRUE(m.has_value());
    auto snap = collect_snapshot(**m);
    ASSERT_FALSE(snap.has_value());
    EXPECT_NE(snap.error().fix.find("target machine"), std::string::npos);
}

TEST(Collect, ATarThatIsNotASnapshotIsRefused) {
    fs::path tar = fs::temp_directory_path() / "jailconf-not-a-snapshot.tar";
    std::string archive = scan::write_tar({{TarEntry::Type::file, "proc/iomem", "x"}});
    std::ofstream(tar, std::ios::binary).write(archive.data(), std::streamsize(archive.size()));
    auto s = open_snapshot(tar.string());
    ASSERT_FALSE(s.has_value());
    EXPECT_NE(s.error().message.find("not a confgen snapshot"), std::string::npos);
    fs::remove(tar);
}

} // namespace
} // namespace jailconf
