// Small, reproducible randomness outside the model: SplitMix64 (Steele, Lea and Flood 2014) for
// designs, bootstraps and seeds, and cdpsim's one seed rule. The model's own draws are
// counter-based (sim/rng.hpp); these depend only on the seed they are given, never on threads.
#pragma once

#include <cstdint>

namespace cdpsim {

inline constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// SplitMix64's output function: a bijective 64-bit mix.
inline std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// One step of the SplitMix64 sequence started at x.
inline std::uint64_t splitmix64(std::uint64_t x) { return mix64(x + kGolden); }

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

// The seed rule of every experiment (ensemble, compare, sensitivity, facts): replicate r under
// master seed m runs with SplitMix64(SplitMix64(m) xor r) >> 12. It ignores the design point and
// the scenario, so replicate r of every point and every compared scenario shares its random
// numbers (common random numbers); 52 bits fit simulation.seed and are exact in JSON.
inline std::uint64_t replicate_seed(std::uint64_t master, std::int64_t replicate) {
  return splitmix64(splitmix64(master) ^ static_cast<std::uint64_t>(replicate)) >> 12;
}

}  // namespace cdpsim
