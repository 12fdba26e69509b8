// The processes sharing an ensemble or a comparison: the MPI world when cdpsim is built with
// -DCDPSIM_MPI=ON and started by an MPI launcher (mpirun, srun), otherwise this process alone.
// The engine needs only a rank, a size, an all-ranks check (which is also a barrier) and a sum;
// everything else goes through files (shards), so the serial HDF5 library is enough.
//
//   ProcessGroup group;                       // MPI_Init_thread when launched by mpirun
//   for (run = group.rank(); run < n; run += group.size()) ...
//   if (!group.all(ok)) ...                   // every rank learns whether every rank succeeded
#pragma once

#include <vector>

namespace cdpsim {

class ProcessGroup {
 public:
  // Joins the MPI job (MPI_THREAD_FUNNELED: only this thread calls MPI) when built with MPI and
  // launched by an MPI launcher; otherwise a group of one. Create one per process.
  ProcessGroup();
  ~ProcessGroup();  // MPI_Finalize when this object initialized MPI
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] bool is_root() const { return rank_ == 0; }

  // True on every rank when `ok` is true on every rank. Every rank must call it.
  bool all(bool ok);
  // Element-wise sum of `v` over ranks, left in root's `v` (other ranks' `v` is unspecified).
  // Every rank must call it with the same size.
  void sum_to_root(std::vector<double>& v);

  // True when this binary was built with MPI support.
  static bool built_with_mpi();
  // True when an MPI launcher started this process as one of several (mpirun -n K, K > 1).
  static bool launched_as_one_of_many();

 private:
  int rank_ = 0;
  int size_ = 1;
  [[maybe_unused]] bool initialized_mpi_ = false;  // used only when built with MPI
};

}  // namespace cdpsim
