// Small, reproducible randomness for sensitivity designs and bootstraps: SplitMix64 (Steele, Lea
// and Flood 2014). A design or a bootstrap depends only on the seed it is given, never on threads.
#pragma once

#include <cstdint>

namespace cdpsim::sensitivity {

inline constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// SplitMix64's output function: a bijective 64-bit mix.
inline std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A hash of two words: independent-looking bits for (seed, key) pairs.
inline std::uint64_t hash64(std::uint64_t seed, std::uint64_t key) {
  return mix64(mix64(seed + kGolden) ^ (key * kGolden + 0x632BE59BD9B4E019ULL));
}

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return mix64(state_ += kGolden); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1p-53; }
  // Uniform integer in [0, n) for n >= 1 (modulo; bias below n / 2^64).
  std::uint64_t below(std::uint64_t n) { return next() % n; }

 private:
  std::uint64_t state_;
};

}  // namespace cdpsim::sensitivity
