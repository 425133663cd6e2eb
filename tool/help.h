#pragma once

#include <string>

namespace parstep {

/// parstep --help: synopsis, the options by group (from option_table()),
/// exit statuses, environment and examples. `cpus` is the default -j on
/// this machine. No line ends in a space; none is wider than 80 columns.
std::string help_text(unsigned cpus);

/// parstep --version, in GNU form: "parstep X.Y.Z", then copyright and license.
std::string version_text();

/// Words of `text` laid out in lines of at most `width` columns, each
/// but the first started by `indent` spaces (a word longer than a line gets
/// a line of its own). No trailing spaces; ends with a newline.
std::string wrap(std::string_view text, std::size_t width, std::size_t indent);

}  // namespace parstep
