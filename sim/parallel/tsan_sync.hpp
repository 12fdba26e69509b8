// Happens-before edges that ThreadSanitizer cannot see by itself, declared where cdpsim hands work
// to oneTBB and takes it back. Debian's libtbb is not built with -fsanitize=thread (and the TSan
// build leaves oneTBB's headers uninstrumented too, tests/sanitizers/tsan_ignorelist.txt), so the
// edges "the caller spawns a task, a worker runs it" and "a worker finishes, parallel_for returns
// in the caller" are invisible and every read of a worker's result would be reported as a race.
// In a TSan build these are __tsan_release / __tsan_acquire; otherwise they compile to nothing.
//
//   tsan_release(&flag);  // thread A: everything A did so far ...
//   tsan_acquire(&flag);  // thread B: ... happens before what B does next
#pragma once

#if defined(__SANITIZE_THREAD__)
#define CDPSIM_TSAN_ANNOTATIONS 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CDPSIM_TSAN_ANNOTATIONS 1
#endif
#endif

#ifdef CDPSIM_TSAN_ANNOTATIONS
// From <sanitizer/tsan_interface.h>, which Debian's clang 14 does not ship.
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace cdpsim {

// Publishes what this thread did so far under the key `addr` (an address, never dereferenced).
inline void tsan_release([[maybe_unused]] const void* addr) {
#ifdef CDPSIM_TSAN_ANNOTATIONS
  __tsan_release(const_cast<void*>(addr));
#endif
}

// Orders what this thread does next after every earlier tsan_release on `addr`.
inline void tsan_acquire([[maybe_unused]] const void* addr) {
#ifdef CDPSIM_TSAN_ANNOTATIONS
  __tsan_acquire(const_cast<void*>(addr));
#endif
}

}  // namespace cdpsim
