// A mechanism that reads its own file: the layer check must reject this tree (models/ does no I/O).
#include "sim/scenario/loader.hpp"
