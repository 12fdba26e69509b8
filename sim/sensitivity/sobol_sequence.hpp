// The Sobol low-discrepancy sequence (Sobol 1967) with Joe and Kuo's direction numbers, optionally
// Owen-scrambled: the base sample of the Saltelli design (docs/sensitivity.md, "Sampling").
//
//   std::vector<double> x = sobol_points(512, 36, Scrambling::owen, 42);  // 512 x 36, row-major
//
// Points come in Gray-code order (as in Joe and Kuo's reference code and SciPy's qmc.Sobol), so
// the unscrambled first 2^m points are those of SciPy's `Sobol(d, scramble=False).random(2^m)`.
// The first 2^m points of every dimension fall one in each interval [j / 2^m, (j + 1) / 2^m);
// Owen scrambling keeps that property, so sample sizes that are powers of two balance best.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cdpsim::sensitivity {

// Dimensions with embedded direction numbers (a Saltelli design over k inputs needs 2k).
inline constexpr int kSobolMaxDimensions = 64;

enum class Scrambling {
  none,  // the plain sequence: its first point is the origin
  owen,  // nested uniform scrambling (Owen 1995), seeded: an unbiased randomised QMC sample
};

// `n` points in `dims` dimensions (1 <= dims <= kSobolMaxDimensions, n < 2^32), row-major
// (point i, dimension j at [i * dims + j]), every value in [0, 1). `seed` matters only for
// Scrambling::owen. Throws std::invalid_argument for dims or n out of range.
std::vector<double> sobol_points(std::size_t n, int dims, Scrambling scrambling,
                                 std::uint64_t seed);

// The 32-bit integer coordinates of point `index` of the unscrambled sequence (for tests).
std::vector<std::uint32_t> sobol_point_bits(std::uint64_t index, int dims);

// Owen's nested uniform scrambling of the 32-bit digit string `x` of one coordinate: digit i
// (from the most significant) is flipped by a random bit that depends on `seed` and on the
// digits above it only, so the map is a random permutation of the binary tree of intervals.
// Returns a value in [0, 1): the scrambled digits plus a uniform offset within the last interval.
double owen_scramble(std::uint32_t x, std::uint64_t seed);

}  // namespace cdpsim::sensitivity
