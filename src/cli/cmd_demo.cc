// `whereabouts demo`: creates a synthetic register (see registry/demo.h) and prints its key
// figures today and as of the earlier date.
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "registry/demo.h"

namespace whereabouts::cli {
namespace {

struct DemoOptions {
  std::string db;
  bool force = false;
};

int RunDemo(const DemoOptions& opt) {
  std::error_code ec;
  if (std::filesystem::exists(opt.db, ec)) {
    if (!opt.force) {
      return Fail(Error{ErrorCode::kAlreadyExists,
                        opt.db + " already exists; pass --force to replace it with the demo, or "
                                 "--db PATH for another file",
                        ""});
    }
    for (const std::string suffix : {"", "-wal", "-shm"}) std::filesystem::remove(opt.db + suffix, ec);
  }
  auto reg = OpenRegistry(opt.db, true);
  if (!reg) return Fail(reg.error());
  auto stored = reg->registry->RecordBatch(registry::DemoEvents());
  if (!stored) return Fail(stored.error());
  fmt::print("created the demo register {} ({} events, synthetic names)\n", opt.db, stored->size());
  for (const registry::AsOf as_of :
       {registry::AsOf{}, registry::AsOf{*registry::Date::Parse(registry::kDemoEarlierDate)}}) {
    auto f = reg->registry->ComputeFigures(as_of, registry::AgeLimits{});
    if (!f) return Fail(f.error());
    fmt::print("{}: {} registered missing ({} civilians: {} children, {} women, {} elderly); "
               "{} captured alive ({} servicemen, {} civilians)\n",
               as_of ? "as of " + as_of->ToString() : std::string("today"), f->Value("missing"),
               f->Value("missing.civilian"), f->Value("missing.civilian.child"),
               f->Value("missing.civilian.woman"), f->Value("missing.civilian.elderly"),
               f->Value("captured"), f->Value("captured.serviceman"), f->Value("captured.civilian"));
  }
  fmt::print("next: whereabouts report figures [--as-of {}]\n", registry::kDemoEarlierDate);
  return kExitOk;
}

}  // namespace

void RegisterDemo(CLI::App& root, int& exit_code) {
  auto opt = std::make_shared<DemoOptions>();
  CLI::App* cmd = root.add_subcommand("demo", "create a synthetic demonstration register");
  AddDbOption(cmd, &opt->db);
  cmd->add_flag("--force", opt->force, "replace an existing database file");
  cmd->callback([opt, &exit_code] { exit_code = RunDemo(*opt); });
}

}  // namespace whereabouts::cli
