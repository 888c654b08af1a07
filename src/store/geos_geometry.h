// The production Geometry: GEOS through its reentrant C API (geos_c.h, *_r functions), one GEOS
// context per object. Coordinates are projected to local metres around the point (the same
// projection as registry::PlanarGeometry) before GEOS computes containment and distance.
#pragma once

#include <memory>

#include "registry/geometry.h"

namespace whereabouts::store {

// GEOS when this build has it, else the pure PlanarGeometry.
[[nodiscard]] std::unique_ptr<registry::Geometry> MakeGeometry();

// True when MakeGeometry() returns the GEOS engine.
[[nodiscard]] bool HaveGeos();

}  // namespace whereabouts::store
