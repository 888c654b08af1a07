// An event's payload values (text) read as ids and dates, with errors that name the field. Shared
// by the rules for persons (person.cc) and for the other entities (snapshot.cc). Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/result.h"
#include "registry/date.h"

namespace whereabouts::registry {

// A whole number >= 0. Errors: kInvalidArgument "expected an id" naming `field`.
[[nodiscard]] Result<int64_t> ParseId(std::string_view text, std::string_view field);

// A YYYY-MM-DD date; empty text gives nullopt. Errors: those of Date::Parse, prefixed with
// `field`.
[[nodiscard]] Result<std::optional<Date>> ParseDateField(std::string_view text,
                                                         std::string_view field);

}  // namespace whereabouts::registry
