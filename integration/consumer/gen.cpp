// Writes "[arg]" for each argument after the first to the file named first.
#include <fstream>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  std::ofstream out(argv[1], std::ios::binary);
  for (int i = 2; i < argc; ++i) out << '[' << argv[i] << ']';
  return out ? 0 : 1;
}
