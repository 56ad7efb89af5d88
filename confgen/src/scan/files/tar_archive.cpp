#include "scan/files/tar_archive.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace jailconf::scan {
namespace {

constexpr size_t block = 512;
constexpr size_t max_entries = 1u << 20;

// ustar header field offsets and sizes (POSIX.1-1988).
struct Field {
    size_t offset, size;
};
constexpr Field f_name{0, 100}, f_mode{100, 8}, f_uid{108, 8}, f_gid{116, 8}, f_size{124, 12},
    f_mtime{136, 12}, f_chksum{148, 8}, f_type{156, 1}, f_linkname{157, 100}, f_magic{257, 6},
    f_version{263, 2}, f_prefix{345, 155};

void put_octal(char* header, Field f, uint64_t value) {
    // size-1 digits and a NUL terminator.
    std::string digits = fmt::format("{:0{}o}", value, f.size - 1);
    std::memcpy(header + f.offset, digits.data(), f.size - 1);
    header[f.offset + f.size - 1] = '\0';
}

void put_string(char* header, Field f, std::string_view s) {
    std::memcpy(header + f.offset, s.data(), std::min(s.size(), f.size));
}

unsigned header_checksum(const unsigned char* header) {
    unsigned sum = 0;
    for (size_t i = 0; i < block; ++i)
        sum += (i >= f_chksum.offset && i < f_chksum.offset + f_chksum.size) ? ' ' : header[i];
    return sum;
}

void append_header(std::string& out, char type, std::string_view name, std::string_view link,
                   uint64_t size, unsigned mode) {
    char header[block] = {};
    put_string(header, f_name, name);
    put_octal(header, f_mode, mode);
    put_octal(header, f_uid, 0);
    put_octal(header, f_gid, 0);
    put_octal(header, f_size, size);
    put_octal(header, f_mtime, 0);
    header[f_type.offset] = type;
    put_string(header, f_linkname, link);
    std::memcpy(header + f_magic.offset, "ustar", 6);
    std::memcpy(header + f_version.offset, "00", 2);
    unsigned sum = header_checksum(reinterpret_cast<unsigned char*>(header));
    std::string chk = fmt::format("{:06o}", sum);
    std::memcpy(header + f_chksum.offset, chk.data(), 6);
    header[f_chksum.offset + 6] = '\0';
    header[f_chksum.offset + 7] = ' ';
    out.append(header, block);
}

void append_data(std::string& out, std::string_view data) {
    out.append(data);
    out.append((block - data.size() % block) % block, '\0');
}

// A pax record "LEN key=value\n", where LEN counts the whole record including its own digits.
std::string pax_record(std::string_view key, std::string_view value) {
    size_t body = key.size() + value.size() + 3; // ' ', '=', '\n'
    size_t len = body + 1;
    while (std::to_string(len).size() + body != len)
        ++len;
    return fmt::format("{} {}={}\n", len, key, value);
}

Expected<uint64_t, std::string> parse_octal(const unsigned char* header, Field f) {
    uint64_t value = 0;
    size_t i = 0;
    while (i < f.size && header[f.offset + i] == ' ')
        ++i;
    bool any = false;
    for (; i < f.size; ++i) {
        unsigned char c = header[f.offset + i];
        if (c == '\0' || c == ' ')
            break;
        if (c < '0' || c > '7')
            return Unexpected(std::string("a numeric field holds a non-octal character"));
        if (value >> 60)
            return Unexpected(std::string("a numeric field overflows"));
        value = value * 8 + (c - '0');
        any = true;
    }
    if (!any)
        return Unexpected(std::string("a numeric field is empty"));
    return value;
}

std::string field_string(const unsigned char* header, Field f) {
    const char* p = reinterpret_cast<const char*>(header + f.offset);
    return std::string(p, strnlen(p, f.size));
}

ScanError tar_error(const std::string& file, uint64_t offset, std::string message) {
    return ScanError::malformed_at(
        file, offset, std::move(message),
        "collect the snapshot again with 'confgen collect'; check it with 'tar tvf'");
}

// Applies the path/linkpath records of a pax extended header.
Expected<bool, std::string> apply_pax(std::string_view records, std::string& path,
                                      std::string& linkpath) {
    while (!records.empty()) {
        size_t space = records.find(' ');
        if (space == std::string_view::npos || space == 0 || space > 20)
            return Unexpected(std::string("a pax record has no length"));
        size_t len = 0;
        for (char c : records.substr(0, space)) {
            if (c < '0' || c > '9')
                return Unexpected(std::string("a pax record length is not a number"));
            len = len * 10 + size_t(c - '0');
        }
        if (len <= space + 1 || len > records.size() || records[len - 1] != '\n')
            return Unexpected(std::string("a pax record length is wrong"));
        std::string_view kv = records.substr(space + 1, len - space - 2);
        size_t eq = kv.find('=');
        if (eq == std::string_view::npos)
            return Unexpected(std::string("a pax record has no '='"));
        if (kv.substr(0, eq) == "path")
            path = std::string(kv.substr(eq + 1));
        else if (kv.substr(0, eq) == "linkpath")
            linkpath = std::string(kv.substr(eq + 1));
        records.remove_prefix(len);
    }
    return true;
}

bool safe_relative_path(std::string_view p) {
    if (p.empty() || p.front() == '/')
        return false;
    size_t i = 0;
    while (i <= p.size()) {
        size_t end = std::min(p.find('/', i), p.size());
        std::string_view c = p.substr(i, end - i);
        if (c.empty() || c == "." || c == "..")
            return false;
        i = end + 1;
    }
    return true;
}

} // namespace

std::string write_tar(const std::vector<TarEntry>& entries) {
    std::string out;
    for (const auto& e : entries) {
        bool is_link = e.type == TarEntry::Type::symlink;
        std::string name = e.path + (e.type == TarEntry::Type::directory ? "/" : "");
        bool long_name = name.size() >= f_name.size;
        bool long_link = is_link && e.content.size() >= f_linkname.size;
        if (long_name || long_link) {
            std::string records;
            if (long_name)
                records += pax_record("path", name);
            if (long_link)
                records += pax_record("linkpath", e.content);
            append_header(out, 'x', "PaxHeader", "", records.size(), 0644);
            append_data(out, records);
        }
        std::string_view short_name =
            std::string_view(name).substr(0, std::min(name.size(), f_name.size - 1));
        switch (e.type) {
        case TarEntry::Type::file:
            append_header(out, '0', short_name, "", e.content.size(), 0444);
            append_data(out, e.content);
            break;
        case TarEntry::Type::directory:
            append_header(out, '5', short_name, "", 0, 0755);
            break;
        case TarEntry::Type::symlink:
            append_header(out, '2', short_name,
                          std::string_view(e.content).substr(
                              0, std::min(e.content.size(), f_linkname.size - 1)),
                          0, 0777);
            break;
        }
    }
    out.append(2 * block, '\0');
    return out;
}

Expected<std::vector<TarEntry>, ScanError> read_tar(std::string_view archive,
                                                    const std::string& file) {
    std::vector<TarEntry> entries;
    std::string pax_path, pax_link;
    size_t pos = 0;
    while (true) {
        if (pos == archive.size())
            break; // no end-of-archive blocks: tolerated, everything before is whole
        if (archive.size() - pos < block)
            return Unexpected(tar_error(file, pos, "the archive ends inside a header block"));
        auto header = reinterpret_cast<const unsigned char*>(archive.data() + pos);
        if (std::all_of(header, header + block, [](unsigned char c) { return c == 0; }))
            break; // end of archive
        auto stored = parse_octal(header, f_chksum);
        if (!stored || *stored != header_checksum(header))
            return Unexpected(tar_error(file, pos + f_chksum.offset,
                                        "header checksum mismatch: not a tar archive, or damaged"));
        auto size = parse_octal(header, f_size);
        if (!size)
            return Unexpected(
                tar_error(file, pos + f_size.offset, "bad size field: " + size.error()));
        size_t data_at = pos + block;
        if (*size > archive.size() - data_at)
            return Unexpected(tar_error(file, pos + f_size.offset,
                                        fmt::format("entry of {} bytes runs past the end", *size)));
        std::string_view data = archive.substr(data_at, size_t(*size));
        size_t next = data_at + (size_t(*size) + block - 1) / block * block;
        if (next > archive.size())
            next = archive.size();
        char type = char(header[f_type.offset]);
        std::string name = field_string(header, f_name);
        if (std::memcmp(header + f_magic.offset, "ustar", 5) == 0) {
            std::string prefix = field_string(header, f_prefix);
            if (!prefix.empty())
                name = prefix.append("/").append(name);
        }
        if (type == 'x') {
            auto ok = apply_pax(data, pax_path, pax_link);
            if (!ok)
                return Unexpected(tar_error(file, data_at, ok.error()));
            pos = next;
            continue;
        }
        if (type == 'g') { // global pax header: nothing a snapshot needs
            pos = next;
            continue;
        }
        if (type == 'L' || type == 'K') { // GNU long name / long link
            std::string value(data.substr(0, data.find('\0')));
            (type == 'L' ? pax_path : pax_link) = value;
            pos = next;
            continue;
        }
        TarEntry e;
        e.path = pax_path.empty() ? name : pax_path;
        std::string link = pax_link.empty() ? field_string(header, f_linkname) : pax_link;
        pax_path.clear();
        pax_link.clear();
        while (e.path.starts_with("./"))
            e.path.erase(0, 2);
        while (!e.path.empty() && e.path.back() == '/')
            e.path.pop_back();
        if (e.path.empty() && type == '5') { // the archive's own "./" entry
            pos = next;
            continue;
        }
        if (!safe_relative_path(e.path))
            return Unexpected(tar_error(file, pos, fmt::format("unsafe entry name '{}'", e.path)));
        switch (type) {
        case '0':
        case '\0':
            e.type = TarEntry::Type::file;
            e.content = std::string(data);
            break;
        case '5':
            e.type = TarEntry::Type::directory;
            break;
        case '2':
            e.type = TarEntry::Type::symlink;
            e.content = link;
            break;
        default:
            return Unexpected(tar_error(
                file, pos + f_type.offset,
                fmt::format("entry '{}' has type '{}', which snapshots never hold", e.path, type)));
        }
        if (entries.size() == max_entries)
            return Unexpected(tar_error(file, pos, "more entries than any snapshot has"));
        entries.push_back(std::move(e));
        pos = next;
    }
    return entries;
}

} // namespace jailconf::scan
