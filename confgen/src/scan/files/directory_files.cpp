// MachineFiles over a real directory tree: the live machine ("/") or a copy of one (`--root`).
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <dirent.h>

#include "confgen/machine_files.hpp"
#include "scan/files/allow_list.hpp"

using jailconf::scan::directory_allowed;

namespace jailconf {
namespace {

ScanError file_error(ScanError::Kind kind, std::string_view path, std::string message,
                     std::string fix = {}) {
    return ScanError::of_file(kind, std::string(path), std::move(message), std::move(fix));
}

ScanError not_allowed(std::string_view path) {
    return file_error(ScanError::Kind::not_allowed, path,
                      "not on the scanner's allow-list (confgen/src/scan/files/allow_list.cpp)",
                      "add the path there, with the reason, if the scanner really needs it");
}

ScanError errno_error(std::string_view path, int err) {
    auto kind = (err == ENOENT || err == ENOTDIR) ? ScanError::Kind::not_found
                                                  : ScanError::Kind::unreadable;
    std::string fix = err == EACCES || err == EPERM ? "run as root to read it" : "";
    return file_error(kind, path, std::strerror(err), fix);
}

class DirectoryMachineFiles final : public MachineFiles {
  public:
    explicit DirectoryMachineFiles(std::string root) : root_(std::move(root)) {
        while (root_.size() > 1 && root_.back() == '/')
            root_.pop_back();
        if (root_ == "/")
            root_.clear();
    }

    Expected<std::string, ScanError> read(std::string_view path, size_t max_size) const override {
        if (!path_allowed(path))
            return Unexpected(not_allowed(path));
        std::string real = root_ + std::string(path);
        int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0)
            return Unexpected(errno_error(path, errno));
        struct stat st {};
        if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            ::close(fd);
            return Unexpected(file_error(ScanError::Kind::unreadable, path, "is a directory"));
        }
        // sysfs and procfs report size 0 or 4096 whatever the contents: read until end of file.
        std::string data;
        char buffer[16384];
        for (;;) {
            ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                int err = errno;
                ::close(fd);
                return Unexpected(errno_error(path, err));
            }
            if (n == 0)
                break;
            data.append(buffer, size_t(n));
            if (data.size() > max_size) {
                ::close(fd);
                return Unexpected(file_error(ScanError::Kind::too_large, path,
                                             fmt::format("larger than {} bytes", max_size)));
            }
        }
        ::close(fd);
        return data;
    }

    Expected<std::vector<std::string>, ScanError> list(std::string_view dir) const override {
        if (!directory_allowed(dir))
            return Unexpected(not_allowed(dir));
        std::string real = root_ + std::string(dir);
        DIR* d = ::opendir(real.empty() ? "/" : real.c_str());
        if (!d)
            return Unexpected(errno_error(dir, errno));
        std::vector<std::string> names;
        // Bounded: a directory with more entries than any real sysfs one is not a machine tree.
        constexpr size_t max_entries = 1 << 16;
        while (dirent* e = ::readdir(d)) {
            std::string_view name = e->d_name;
            if (name == "." || name == "..")
                continue;
            // Only names the allow-list reaches: a live listing then equals a snapshot's.
            std::string child = (dir == "/" ? "" : std::string(dir)) + "/" + std::string(name);
            if (!path_allowed(child) && !directory_allowed(child))
                continue;
            if (names.size() == max_entries) {
                ::closedir(d);
                return Unexpected(file_error(ScanError::Kind::too_large, dir,
                                             fmt::format("more than {} entries", max_entries)));
            }
            names.emplace_back(name);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        return names;
    }

    Expected<std::string, ScanError> read_link(std::string_view path) const override {
        if (!path_allowed(path))
            return Unexpected(not_allowed(path));
        std::string real = root_ + std::string(path);
        char buffer[4096];
        ssize_t n = ::readlink(real.c_str(), buffer, sizeof buffer);
        if (n < 0)
            return Unexpected(errno_error(path, errno));
        if (size_t(n) == sizeof buffer)
            return Unexpected(file_error(ScanError::Kind::too_large, path, "link target too long"));
        return std::string(buffer, size_t(n));
    }

    bool is_directory(std::string_view path) const override {
        struct stat st {};
        std::string real = root_ + std::string(path);
        return ::stat(real.empty() ? "/" : real.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    }

    std::string describe() const override {
        return root_.empty() ? "the live system" : fmt::format("directory {}", root_);
    }

  private:
    std::string root_; // "" for the live system
};

} // namespace

std::unique_ptr<MachineFiles> open_live_machine() {
    return std::make_unique<DirectoryMachineFiles>("/");
}

Expected<std::unique_ptr<MachineFiles>, ScanError> open_machine_directory(const std::string& root) {
    struct stat st {};
    if (::stat(root.c_str(), &st) != 0)
        return Unexpected(errno_error(root, errno));
    if (!S_ISDIR(st.st_mode))
        return Unexpected(file_error(ScanError::Kind::unreadable, root, "is not a directory",
                                     "give the directory a snapshot was extracted into, or use "
                                     "--snapshot for the tar file itself"));
    return std::unique_ptr<MachineFiles>(std::make_unique<DirectoryMachineFiles>(root));
}

} // namespace jailconf
