#pragma once

#include <span>
#include <string_view>

namespace parstep {

/// The sections of --help and of the man page's OPTIONS, in their order.
enum class OptionGroup { running, output, limits, records, jobserver, terminal, information };

/// What a shell may complete after an option.
enum class ValueKind {
  none,       ///< a flag: takes no value
  text,       ///< anything (a number, a duration, a command)
  choice,     ///< one of OptionSpec::choices
  file,       ///< a file name
  directory,  ///< a directory name
  program,    ///< a program name or path
};

/// One command-line option: the one place that names it. The parser
/// (cli.cpp), --help (help.cpp) and the shell completions
/// (completions.cpp) are all made from this table; the man page
/// (doc/parstep.1.scd) is checked against --help by a test.
struct OptionSpec {
  OptionGroup group;
  std::string_view short_name;  ///< one letter, or empty
  std::string_view long_name;
  std::string_view value;  ///< the value's placeholder in --help ("N"); empty: a flag
  ValueKind kind;
  std::string_view choices;  ///< the values of a ValueKind::choice, separated by spaces (vocabulary.h)
  /// A sentence or two for --help; ", here {cpus}" says the default -j on
  /// this machine (the completions leave it out).
  std::string_view help;
};

/// Every option, in --help order (grouped by OptionGroup).
std::span<const OptionSpec> option_table();

/// The heading of a group in --help ("Running").
std::string_view group_title(OptionGroup group);

}  // namespace parstep
