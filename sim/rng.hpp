// Counter-based randomness (Philox4x32-10, Random123), as HOOMD-blue does it: a draw is a pure
// function of (seed, stream, week, agent id, draw index), so results cannot depend on which thread
// runs which agent or in which order. A stream is an integer id; the model's ids live in one
// registry (models/streams.hpp), so two mechanisms never share one.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace cdpsim {

// Four independent uniforms in [0, 1) (24-bit resolution is not enough for small probabilities,
// so each uniform uses 32 bits).
struct Uniform4 {
  double u[4];
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  }

  // Draw block `draw` for `agent` in `stream` at `week`.
  [[nodiscard]] Uniform4 uniforms(std::uint32_t stream, std::uint32_t week, std::uint32_t agent,
                                  std::uint32_t draw = 0) const {
    r123::Philox4x32::ctr_type ctr = {{agent, week, stream, draw}};
    const auto r = philox_(ctr, key_);
    Uniform4 out;
    for (int k = 0; k < 4; ++k) out.u[k] = unit(r.v[k]);  // in (0, 1), never 0
    return out;
  }

  // The same draw as four raw 32-bit words; unit() turns one into the uniform uniforms() gives, so
  // a caller that needs only some of the four converts only those.
  [[nodiscard]] r123::Philox4x32::ctr_type raw(std::uint32_t stream, std::uint32_t week,
                                               std::uint32_t agent, std::uint32_t draw = 0) const {
    return philox_({{agent, week, stream, draw}}, key_);
  }
  [[nodiscard]] static double unit(std::uint32_t word) { return (word + 0.5) * 0x1p-32; }

  [[nodiscard]] double uniform(std::uint32_t stream, std::uint32_t week, std::uint32_t agent,
                               std::uint32_t draw = 0) const {
    return uniforms(stream, week, agent, draw).u[0];
  }

 private:
  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
};

// Standard normal from two uniforms (Box-Muller, first branch only).
inline double normal_from(double u1, double u2) {
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// Poisson(lambda) by inversion from one uniform; exact for the small rates used per week.
inline int poisson_from(double u, double lambda) {
  if (lambda <= 0.0) return 0;
  double p = std::exp(-lambda);
  double cdf = p;
  int k = 0;
  while (u > cdf && k < 200) {
    ++k;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}

// Poisson(lambda) for any rate: inversion below 30, else the normal approximation (its error is
// far below the model's own uncertainty at those rates). v1, v2 feed the normal draw.
inline int poisson_from(double u, double lambda, double v1, double v2) {
  if (lambda < 30.0) return poisson_from(u, lambda);
  const double x = lambda + std::sqrt(lambda) * normal_from(v1, v2);
  return x < 0.0 ? 0 : static_cast<int>(x + 0.5);
}

// A value uniform on [mean - h, mean + h] with h = spread * min(mean, 1 - mean): it stays in
// [0, 1] and keeps its mean exactly, so a lever that sets a mean sets it exactly.
inline double bounded_from(double u, double mean, double spread) {
  // Linear stretch around the mean, clipped to keep the exact mean for spread <= min(m, 1-m).
  const double half = spread * std::fmin(mean, 1.0 - mean);
  return mean + (2.0 * u - 1.0) * half;
}

}  // namespace cdpsim
