// The line-oriented files the scanner reads (/proc/iomem, /proc/cpuinfo, a PCI function's sysfs
// `resource`, pci.ids), one line at a time with the byte offset where it starts, for error
// locations. A last line without a newline counts; the newline is not part of the line. The
// callers bound the line count and length themselves.
#pragma once

#include <cstddef>
#include <string_view>

namespace jailconf::scan {

struct TextLine {
    std::string_view text;
    size_t offset = 0;
};

class TextLines {
  public:
    explicit TextLines(std::string_view text) : text_(text) {}

    bool next(TextLine& line) {
        if (pos_ >= text_.size())
            return false;
        size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos)
            end = text_.size();
        line = {text_.substr(pos_, end - pos_), pos_};
        pos_ = end + 1;
        return true;
    }

  private:
    std::string_view text_;
    size_t pos_ = 0;
};

} // namespace jailconf::scan
