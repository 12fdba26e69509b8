// A planted race for scripts/sanitizers.sh tsan: two tasks of one parallel_over loop write the
// same variable. The job requires ThreadSanitizer to report it with the build's ignorelist and
// tests/sanitizers/tsan.supp, so that neither they nor the loop's hand-off annotations
// (sim/parallel/parallel_over.hpp) can ever hide a race between a loop's tasks. Exit 0 alone,
// 66 (TSan's exit code) when the race is reported.
#include <tbb/blocked_range.h>
#include <tbb/partitioner.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "sim/parallel/parallel_over.hpp"

int main() {
  long shared = 0;
  cdpsim::parallel_over(
      tbb::blocked_range<int>(0, 2, 1),
      [&](const tbb::blocked_range<int>& r) {
        for (int i = r.begin(); i != r.end(); ++i) {
          shared += i;  // the race: both tasks run at once, nothing orders them
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
          shared += i;
        }
      },
      tbb::simple_partitioner());
  std::printf("%ld\n", shared);
}
