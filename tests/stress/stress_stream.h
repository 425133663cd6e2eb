#pragma once

#include <cstdint>
#include <vector>

namespace parstep::stress {

/// `size` bytes of xorshift64 from `seed`: what a stress step writes.
inline std::vector<char> stream(std::uint64_t seed, std::uint64_t size) {
  std::vector<char> bytes(size);
  std::uint64_t x = seed * 2654435761u + 1;
  for (auto& b : bytes) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    b = static_cast<char>(x >> 32);
  }
  return bytes;
}

}  // namespace parstep::stress
