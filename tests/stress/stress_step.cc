// A step for the stress tests: writes a known byte stream, sleeps, exits.
// The stream is "step <index>\n" then <size> bytes of xorshift64 from
// <seed>, binary, so a checker can regenerate it.
// Usage: stress_step INDEX SEED SIZE SLEEP_MS EXIT
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "stress_stream.h"

int main(int argc, char** argv) {
  if (argc != 6) return 100;
  std::string header = "step " + std::string(argv[1]) + "\n";
  std::vector<char> bytes = parstep::stress::stream(std::strtoull(argv[2], nullptr, 10), std::strtoull(argv[3], nullptr, 10));
  bytes.insert(bytes.begin(), header.begin(), header.end());
  // Written in pieces of varied size, as real steps do.
  std::size_t at = 0;
  for (std::size_t piece = 1; at < bytes.size(); piece = piece * 7 % 65521 + 1) {
    std::size_t n = std::min(piece, bytes.size() - at);
    ssize_t w = write(1, bytes.data() + at, n);
    if (w <= 0) return 101;
    at += static_cast<std::size_t>(w);
  }
  usleep(static_cast<useconds_t>(std::strtoul(argv[4], nullptr, 10) * 1000));
  return std::atoi(argv[5]);
}
