// cdpsim's parallel loops: tbb::parallel_for with its two hand-offs (caller -> each task, each
// task -> caller once the loop returns) declared to ThreadSanitizer (sim/parallel/tsan_sync.hpp).
// Every parallel loop of sim/, models/ and experiments/ goes through here, so the annotation lives
// in one place; outside a TSan build this is exactly tbb::parallel_for.
//
//   parallel_over(tbb::blocked_range<std::uint32_t>(0, n, 4096), [&](const auto& r) { ... });
//   parallel_over(std::size_t{0}, n, [&](std::size_t i) { out[i] = f(i); });
//
// Only the hand-offs are declared: two tasks of one loop stay unordered for TSan, so a race
// between them (two tasks writing one element) is still reported. Not named parallel_for: an
// unqualified call with a tbb range would find tbb::parallel_for by argument-dependent lookup.
// What oneTBB hands to a task is one pointer (to the loop below): oneTBB copies it in its own
// uninstrumented code, where a large body would be copied with an (intercepted) memcpy that TSan
// would then report against the task's first read of it.
#pragma once

#include <tbb/parallel_for.h>

#include <concepts>
#include <utility>

#include "sim/parallel/tsan_sync.hpp"

namespace cdpsim {

namespace detail {

// One parallel loop: its body and its two edges, keyed by the addresses of two members (so that a
// task's end is never mistaken for the loop's start, which would order the tasks among
// themselves).
template <typename Body>
class HandedOffLoop {
 public:
  explicit HandedOffLoop(const Body& body) : body_(body) {
    tsan_release(&fork_);  // what the caller did before the loop ...
  }
  ~HandedOffLoop() { tsan_acquire(&join_); }  // ... and every task, before what follows it
  HandedOffLoop(const HandedOffLoop&) = delete;
  HandedOffLoop& operator=(const HandedOffLoop&) = delete;

  template <typename... Args>
  void task(Args&&... args) const {
    tsan_acquire(&fork_);
    const Joined joined{&join_};  // also when the body throws (oneTBB rethrows in the caller)
    body_(std::forward<Args>(args)...);
  }

 private:
  struct Joined {
    const char* key;
    ~Joined() { tsan_release(key); }
  };
  const Body& body_;
  char fork_ = 0;
  char join_ = 0;
};

}  // namespace detail

// tbb::parallel_for(range, body[, partitioner]).
template <typename Range, typename Body, typename... Partitioner>
requires std::invocable<const Body&, const Range&>
void parallel_over(const Range& range, const Body& body, Partitioner&&... partitioner) {
  const detail::HandedOffLoop<Body> loop(body);
  tbb::parallel_for(
      range, [p = &loop](const Range& r) { p->task(r); },
      std::forward<Partitioner>(partitioner)...);
}

// tbb::parallel_for(first, last, f): f(i) for every i in [first, last).
template <std::integral Index, typename F>
requires std::invocable<const F&, Index>
void parallel_over(Index first, Index last, const F& f) {
  const detail::HandedOffLoop<F> loop(f);
  tbb::parallel_for(first, last, [p = &loop](Index i) { p->task(i); });
}

}  // namespace cdpsim
