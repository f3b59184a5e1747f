// Runs a libFuzzer target over its seed corpus without libFuzzer, so the
// corpus (hostile cases and every crash reproducer) runs with the ordinary
// test suite under g++. Usage: <target>_fuzz FILE_OR_DIRECTORY...
// Files are run in name order; a crash or hang fails the CTest test.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy the size of the input exactly, as libFuzzer passes it, so a read
  // past the end is caught by sanitizers when they are on.
  const std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  (void)LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& entry : std::filesystem::directory_iterator(arg)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(arg);
    }
    for (const auto& file : files) {
      run_file(file);
      ++count;
    }
  }
  if (count == 0) {
    std::cerr << "no inputs: pass corpus files or directories\n";
    return 1;
  }
  std::cout << count << " inputs ran without a crash\n";
  return 0;
}
