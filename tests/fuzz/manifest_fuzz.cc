// libFuzzer harness: any bytes given to the manifest parser either parse or
// raise ManifestError with a one-line message; nothing else may happen.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    parstep::Manifest m = parstep::parse_manifest(text, "fuzz.json");
    m.resolve({});
  } catch (const parstep::ManifestError& e) {
    std::string_view message = e.what();
    if (message.empty() || message.find('\n') != std::string_view::npos) std::abort();
  }
  return 0;
}
