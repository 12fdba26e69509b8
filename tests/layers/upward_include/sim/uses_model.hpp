// A model-free header that reaches up into the model: the layer check must reject this tree.
#pragma once

#include "models/world.hpp"
