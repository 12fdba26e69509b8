#include "sim/parallel/process_group.hpp"

#include <cstdlib>
#include <string>

#ifdef CDPSIM_WITH_MPI
#include <mpi.h>
#endif

namespace cdpsim {

namespace {

// The world size announced by the launcher: Open MPI's mpirun, PMIx or PMI (Slurm's srun).
int launcher_world_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return 0;
}

}  // namespace

bool ProcessGroup::built_with_mpi() {
#ifdef CDPSIM_WITH_MPI
  return true;
#else
  return false;
#endif
}

bool ProcessGroup::launched_as_one_of_many() { return launcher_world_size() > 1; }

#ifdef CDPSIM_WITH_MPI

namespace {

bool launched_by_mpi() {
  return launcher_world_size() > 0 || std::getenv("PMIX_RANK") != nullptr ||
         std::getenv("PMI_RANK") != nullptr;
}

}  // namespace

ProcessGroup::ProcessGroup() {
  // Started alone (no launcher), MPI is not initialized at all: a singleton MPI_Init would start
  // Open MPI's runtime for nothing, and fails in some containers.
  if (!launched_by_mpi()) return;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  initialized_mpi_ = true;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

ProcessGroup::~ProcessGroup() {
  if (initialized_mpi_) MPI_Finalize();
}

bool ProcessGroup::all(bool ok) {
  if (size_ == 1) return ok;
  int mine = ok ? 1 : 0, every = 0;
  MPI_Allreduce(&mine, &every, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return every == 1;
}

void ProcessGroup::sum_to_root(std::vector<double>& v) {
  if (size_ == 1) return;
  std::vector<double> total(is_root() ? v.size() : 0);
  MPI_Reduce(v.data(), total.data(), static_cast<int>(v.size()), MPI_DOUBLE, MPI_SUM, 0,
             MPI_COMM_WORLD);
  if (is_root()) v = std::move(total);
}

#else

ProcessGroup::ProcessGroup() = default;
ProcessGroup::~ProcessGroup() = default;
bool ProcessGroup::all(bool ok) { return ok; }
void ProcessGroup::sum_to_root(std::vector<double>&) {}

#endif

}  // namespace cdpsim
