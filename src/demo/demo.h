// A synthetic register for demonstrations and tests: every name, date and place is generated
// from syllables and a fixed seed (no real person's data). Its history is dated so that the
// figures come out exactly as in docs/registry.md: today 3,890 registered missing (719 civilians:
// 71 children, 267 women, 326 elderly), 872 captured alive (605 servicemen; 267 civilians: 29
// children, 98 women, 112 elderly), 54 detainees visited by the ICRC (bodies of 17 returned, 12 of
// them killed on the other party's territory: 10 in one city, 2 in one district; 33 reported dead,
// bodies not returned; fate of 4 unknown); as of 2020-01-15: 3,889 missing and 871 captured (604
// servicemen). Sites (a cave near a village, a grave of twelve), hazard areas (one site inside an
// uncleared one), 67 bags of commingled remains of 106 persons, 118 persons from 6 graves.
// Pure and deterministic. Not part of the domain library: linked only by the CLI and the tests.
#pragma once

#include <vector>

#include "registry/event.h"

namespace whereabouts::demo {

inline constexpr const char* kDemoEarlierDate = "2020-01-15";

// The demo's events in the order to append them (recording dates never decrease), with entity
// ids assigned (persons 1..N, sites, hazards, remains, relatives 1..).
// `with_relatives`: also register synthetic relatives (one person in three); off when the caller
// registers the relatives of a DNA simulation instead.
[[nodiscard]] std::vector<registry::Event> DemoEvents(bool with_relatives = true);

}  // namespace whereabouts::demo
