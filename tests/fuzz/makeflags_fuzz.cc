// libFuzzer harness for MAKEFLAGS parsing: never crashes, and what
// makeflags_for_steps() writes always reads back as its own -j and auth.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "jobserver.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  parstep::parse_makeflags(text);
  parstep::make_version(text);
  std::string flags = parstep::makeflags_for_steps(text, 7, "--jobserver-auth=fifo:/tmp/p q");
  parstep::JobserverAuth back = parstep::parse_makeflags(flags);
  if (back.kind != parstep::JobserverAuth::Kind::fifo || back.fifo != "/tmp/p q" || back.jobs != 7u) std::abort();
  return 0;
}
