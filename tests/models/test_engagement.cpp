#include <catch2/catch.hpp>
#include <cmath>

#include "models/engagement.hpp"
#include "models/streams.hpp"
#include "sim/rng.hpp"

using namespace cdpsim;

TEST_CASE("Engagement update has exact values at the boundaries", "[unit][engagement]") {
  CHECK(engagement_after(0.0, false, 0.1, 0.05, 1.0) == 0.0);
  CHECK(engagement_after(0.5, false, 0.1, 0.0, 1.0) == 0.5);  // no decay: unchanged
  CHECK(engagement_after(0.5, true, 0.1, 0.05, 1.0) == Approx(0.5 + 0.1 * 0.5 - 0.025));
  CHECK(engagement_after(1.0, true, 0.2, 0.0, 1.0) == 1.0);  // saturates
  EngagementParams p;
  p.active_threshold = 0.4;
  p.core_threshold = 0.7;
  CHECK(tier_of(p, 0.39) == 0);
  CHECK(tier_of(p, 0.40) == 1);
  CHECK(tier_of(p, 0.69) == 1);
  CHECK(tier_of(p, 0.70) == 2);
}

TEST_CASE("Engagement decays geometrically without participation", "[unit][engagement]") {
  double e = 0.8;
  for (int t = 0; t < 10; ++t) e = engagement_after(e, false, 0.1, 0.04, 1.0);
  CHECK(e == Approx(0.8 * std::pow(0.96, 10)).epsilon(1e-12));
}

TEST_CASE("Mean engagement matches the mean-field fixed point", "[statistical][engagement]") {
  // Independent memberships participating with probability r each week: the long-run mean of e
  // solves E[e'] = E[e], i.e. e* = gain q r / (gain q r + decay).
  const double gain = 0.12, decay = 0.04, q = 0.8, r = 0.35;
  const Rng rng(5);
  const int n = 20000, burn = 300;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    double e = 0.0;
    for (int t = 0; t < burn; ++t)
      e = engagement_after(e, rng.uniform(stream::participation, t, i) < r, gain, decay, q);
    sum += e;
    sum2 += e * e;
  }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  const double expected = engagement_fixed_point(gain, decay, q, r);
  // The exact stationary mean equals the fixed point because the update is linear in e.
  CHECK(std::fabs(mean - expected) < 4 * sd / std::sqrt(n));
}
