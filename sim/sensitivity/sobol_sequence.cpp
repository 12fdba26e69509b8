#include "sim/sensitivity/sobol_sequence.hpp"

#include <array>
#include <stdexcept>
#include <string>

#include "sim/splitmix.hpp"

namespace cdpsim::sensitivity {

namespace {

// Primitive polynomials and initial direction numbers m_1..m_s of dimensions 2 to 64, copied from
// Joe and Kuo's file new-joe-kuo-6.21201 (https://web.maths.unsw.edu.au/~fkuo/sobol/; S. Joe and
// F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
// Comput. 30 (2008) 2635-2654), columns d, s, a, m_i; dimension 1 is the van der Corput sequence
// (every m_i = 1). The same table ships with SciPy (scipy/stats/_sobol_direction_numbers.npz),
// against which these rows were checked, and tests/sim/test_sensitivity_sobol.cpp compares the
// first points with SciPy's unscrambled sequence.
struct JoeKuoRow {
  int d;
  int s;
  std::uint32_t a;
  std::array<std::uint32_t, 9> m;
};

constexpr std::array<JoeKuoRow, kSobolMaxDimensions - 1> kJoeKuo = {{
    {2, 1, 0, {1}},
    {3, 2, 1, {1, 3}},
    {4, 3, 1, {1, 3, 1}},
    {5, 3, 2, {1, 1, 1}},
    {6, 4, 1, {1, 1, 3, 3}},
    {7, 4, 4, {1, 3, 5, 13}},
    {8, 5, 2, {1, 1, 5, 5, 17}},
    {9, 5, 4, {1, 1, 5, 5, 5}},
    {10, 5, 7, {1, 1, 7, 11, 19}},
    {11, 5, 11, {1, 1, 5, 1, 1}},
    {12, 5, 13, {1, 1, 1, 3, 11}},
    {13, 5, 14, {1, 3, 5, 5, 31}},
    {14, 6, 1, {1, 3, 3, 9, 7, 49}},
    {15, 6, 13, {1, 1, 1, 15, 21, 21}},
    {16, 6, 16, {1, 3, 1, 13, 27, 49}},
    {17, 6, 19, {1, 1, 1, 15, 7, 5}},
    {18, 6, 22, {1, 3, 1, 15, 13, 25}},
    {19, 6, 25, {1, 1, 5, 5, 19, 61}},
    {20, 7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {21, 7, 4, {1, 3, 7, 13, 13, 15, 69}},
    {22, 7, 7, {1, 1, 3, 13, 7, 35, 63}},
    {23, 7, 8, {1, 3, 5, 9, 1, 25, 53}},
    {24, 7, 14, {1, 3, 1, 13, 9, 35, 107}},
    {25, 7, 19, {1, 3, 1, 5, 27, 61, 31}},
    {26, 7, 21, {1, 1, 5, 11, 19, 41, 61}},
    {27, 7, 28, {1, 3, 5, 3, 3, 13, 69}},
    {28, 7, 31, {1, 1, 7, 13, 1, 19, 1}},
    {29, 7, 32, {1, 3, 7, 5, 13, 19, 59}},
    {30, 7, 37, {1, 1, 3, 9, 25, 29, 41}},
    {31, 7, 41, {1, 3, 5, 13, 23, 1, 55}},
    {32, 7, 42, {1, 3, 7, 3, 13, 59, 17}},
    {33, 7, 50, {1, 3, 1, 3, 5, 53, 69}},
    {34, 7, 55, {1, 1, 5, 5, 23, 33, 13}},
    {35, 7, 56, {1, 1, 7, 7, 1, 61, 123}},
    {36, 7, 59, {1, 1, 7, 9, 13, 61, 49}},
    {37, 7, 62, {1, 3, 3, 5, 3, 55, 33}},
    {38, 8, 14, {1, 3, 1, 15, 31, 13, 49, 245}},
    {39, 8, 21, {1, 3, 5, 15, 31, 59, 63, 97}},
    {40, 8, 22, {1, 3, 1, 11, 11, 11, 77, 249}},
    {41, 8, 38, {1, 3, 1, 11, 27, 43, 71, 9}},
    {42, 8, 47, {1, 1, 7, 15, 21, 11, 81, 45}},
    {43, 8, 49, {1, 3, 7, 3, 25, 31, 65, 79}},
    {44, 8, 50, {1, 3, 1, 1, 19, 11, 3, 205}},
    {45, 8, 52, {1, 1, 5, 9, 19, 21, 29, 157}},
    {46, 8, 56, {1, 3, 7, 11, 1, 33, 89, 185}},
    {47, 8, 67, {1, 3, 3, 3, 15, 9, 79, 71}},
    {48, 8, 70, {1, 3, 7, 11, 15, 39, 119, 27}},
    {49, 8, 84, {1, 1, 3, 1, 11, 31, 97, 225}},
    {50, 8, 97, {1, 1, 1, 3, 23, 43, 57, 177}},
    {51, 8, 103, {1, 3, 7, 7, 17, 17, 37, 71}},
    {52, 8, 115, {1, 3, 1, 5, 27, 63, 123, 213}},
    {53, 8, 122, {1, 1, 3, 5, 11, 43, 53, 133}},
    {54, 9, 8, {1, 3, 5, 5, 29, 17, 47, 173, 479}},
    {55, 9, 13, {1, 3, 3, 11, 3, 1, 109, 9, 69}},
    {56, 9, 16, {1, 1, 1, 5, 17, 39, 23, 5, 343}},
    {57, 9, 22, {1, 3, 1, 5, 25, 15, 31, 103, 499}},
    {58, 9, 25, {1, 1, 1, 11, 11, 17, 63, 105, 183}},
    {59, 9, 44, {1, 1, 5, 11, 9, 29, 97, 231, 363}},
    {60, 9, 47, {1, 1, 5, 15, 19, 45, 41, 7, 383}},
    {61, 9, 52, {1, 3, 7, 7, 31, 19, 83, 137, 221}},
    {62, 9, 55, {1, 1, 1, 3, 23, 15, 111, 223, 83}},
    {63, 9, 59, {1, 1, 5, 13, 31, 15, 55, 25, 161}},
    {64, 9, 62, {1, 1, 3, 13, 25, 47, 39, 87, 257}},
}};

constexpr int kBits = 32;

// Direction numbers V_1..V_32 of one dimension (V_i = m_i * 2^(32 - i) for i <= s, then the
// recurrence of the primitive polynomial).
std::array<std::uint32_t, kBits> direction_numbers(int dim) {
  std::array<std::uint32_t, kBits> v{};
  if (dim == 0) {
    for (int i = 0; i < kBits; ++i) v[i] = 1u << (kBits - 1 - i);
    return v;
  }
  const JoeKuoRow& row = kJoeKuo[static_cast<std::size_t>(dim - 1)];
  const int s = row.s;
  for (int i = 0; i < s && i < kBits; ++i) v[i] = row.m[i] << (kBits - 1 - i);
  for (int i = s; i < kBits; ++i) {
    std::uint32_t x = v[i - s] ^ (v[i - s] >> s);
    for (int k = 1; k < s; ++k)
      if ((row.a >> (s - 1 - k)) & 1u) x ^= v[i - k];
    v[i] = x;
  }
  return v;
}

void check_dims(int dims) {
  if (dims < 1 || dims > kSobolMaxDimensions)
    throw std::invalid_argument("Sobol sequence: " + std::to_string(dims) +
                                " dimensions (allowed: 1 to " +
                                std::to_string(kSobolMaxDimensions) + ")");
}

}  // namespace

std::vector<std::uint32_t> sobol_point_bits(std::uint64_t index, int dims) {
  check_dims(dims);
  if (index >> kBits) throw std::invalid_argument("Sobol sequence: index beyond 2^32");
  const std::uint64_t gray = index ^ (index >> 1);
  std::vector<std::uint32_t> x(static_cast<std::size_t>(dims), 0);
  for (int j = 0; j < dims; ++j) {
    const auto v = direction_numbers(j);
    for (int b = 0; b < kBits; ++b)
      if ((gray >> b) & 1u) x[static_cast<std::size_t>(j)] ^= v[b];
  }
  return x;
}

double owen_scramble(std::uint32_t x, std::uint64_t seed) {
  std::uint32_t out = 0;
  for (int depth = 0; depth < kBits; ++depth) {
    const int bit = kBits - 1 - depth;
    // The digits above this one identify the node of the binary tree; a leading 1 keeps
    // prefixes of different lengths apart.
    const std::uint64_t prefix = depth == 0 ? 1u : ((std::uint64_t{1} << depth) | (x >> (bit + 1)));
    const std::uint32_t flip = static_cast<std::uint32_t>(hash64(seed, prefix) >> 63);
    out |= (((x >> bit) & 1u) ^ flip) << bit;
  }
  // Below the 32nd digit: uniform within the final interval (21 more random bits).
  const std::uint64_t leaf = (std::uint64_t{1} << kBits) | x;
  const double offset = static_cast<double>(hash64(seed, leaf) >> 43) * 0x1p-21;
  return (static_cast<double>(out) + offset) * 0x1p-32;
}

std::vector<double> sobol_points(std::size_t n, int dims, Scrambling scrambling,
                                 std::uint64_t seed) {
  check_dims(dims);
  if (static_cast<std::uint64_t>(n) >> kBits)
    throw std::invalid_argument("Sobol sequence: more than 2^32 points");
  const auto d = static_cast<std::size_t>(dims);
  std::vector<std::array<std::uint32_t, kBits>> v;
  std::vector<std::uint64_t> dim_seed;
  for (int j = 0; j < dims; ++j) {
    v.push_back(direction_numbers(j));
    dim_seed.push_back(hash64(seed, 0x5eed0000u + static_cast<std::uint64_t>(j)));
  }
  std::vector<double> out(n * d);
  std::vector<std::uint32_t> x(d, 0);  // point i, built incrementally in Gray-code order
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) {
      // Gray code: point i differs from point i - 1 by the direction number of the lowest zero
      // bit of i - 1.
      int c = 0;
      for (std::size_t k = i - 1; k & 1u; k >>= 1) ++c;
      for (std::size_t j = 0; j < d; ++j) x[j] ^= v[j][static_cast<std::size_t>(c)];
    }
    for (std::size_t j = 0; j < d; ++j)
      out[i * d + j] = scrambling == Scrambling::owen ? owen_scramble(x[j], dim_seed[j])
                                                      : static_cast<double>(x[j]) * 0x1p-32;
  }
  return out;
}

}  // namespace cdpsim::sensitivity
