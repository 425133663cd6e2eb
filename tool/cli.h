#pragma once

#include "command_line.h"
#include "usage_error.h"

namespace parstep {

/// Parses the options in `env_options` (PARSTEP_OPTIONS; may be null),
/// then argv over them, per SPEC 1. Throws UsageError naming the problem
/// (and PARSTEP_OPTIONS when the problem is there).
CommandLine parse_command_line(int argc, const char* const* argv, const char* env_options = nullptr);

/// The CPUs parstep may run on (its affinity mask), at least 1.
unsigned available_cpus();

}  // namespace parstep
