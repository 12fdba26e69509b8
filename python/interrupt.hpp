// What the Python module's long calls share: the engine works with the GIL released, on a thread
// of its own, while the calling thread waits and checks for Ctrl-C every 50 ms; Ctrl-C sets the
// engine's stop flag (the one `cdpsim run`, ensemble, compare and sensitivity check between weeks
// or runs), the work ends cleanly at the next week or run, and KeyboardInterrupt is raised once
// it has. Errors of the engine come back as the C++ exception they are (translated by module.cpp).
#pragma once

#include <pybind11/pybind11.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace cdpsim::python {

// An arena of `threads` worker threads (0: every core), so that each Simulation or experiment
// uses its own count without changing the process-wide limit (tbb::global_control) that another
// Python thread's work may rely on.
inline std::unique_ptr<tbb::task_arena> make_arena(int threads) {
  if (threads < 0) throw pybind11::value_error("threads: must be 0 (every core) or more");
  int n = threads;
  if (n == 0) n = tbb::task_arena::automatic;  // read as a value: the constant has no definition
  return std::make_unique<tbb::task_arena>(n);
}

// Runs work(stop) in `arena` with the GIL released. Returns normally when the work finished;
// throws the work's exception, or KeyboardInterrupt (after the work has returned) when Ctrl-C
// came while it ran. Only the main thread sees signals (Python's rule); from another thread the
// work simply runs.
inline void run_interruptibly(tbb::task_arena& arena,
                              const std::function<void(const std::atomic<bool>& stop)>& work) {
  std::atomic<bool> stop{false};
  bool interrupted = false;
  std::exception_ptr error;
  {
    pybind11::gil_scoped_release nogil;
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    std::thread t([&] {
      try {
        arena.execute([&] { work(stop); });
      } catch (...) {
        error = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(m);
      done = true;
      cv.notify_one();
    });
    std::unique_lock<std::mutex> lock(m);
    while (!done) {
      cv.wait_for(lock, std::chrono::milliseconds(50));
      if (done || interrupted) continue;
      lock.unlock();
      {
        pybind11::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          PyErr_Clear();
          interrupted = true;
          stop.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    t.join();
  }
  if (error) std::rethrow_exception(error);
  if (interrupted) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw pybind11::error_already_set();
  }
}

}  // namespace cdpsim::python
