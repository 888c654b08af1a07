// `whereabouts serve`: the register as a JSON HTTP API (src/server/, docs/server.md). Binds to
// loopback by default; TLS is nginx's job (deploy/nginx/whereabouts.conf). SIGINT and SIGTERM stop
// it gracefully: no new connections, requests in progress finish, background runs finish.
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "server/server.h"
#include "store/access_store.h"
#include "store/system_clock.h"

namespace whereabouts::cli {
namespace {

struct ServeOptions {
  std::string db = kDefaultDb;
  std::string listen = "127.0.0.1:8080";
  std::string web;
  int threads = 8;
  int64_t idle_minutes = 30;
  int64_t lifetime_hours = 12;
  size_t max_body_kib = 1024;
  size_t max_upload_mib = 64;
};

Result<std::pair<std::string, int>> ParseListen(const std::string& s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "expected HOST:PORT, e.g. 127.0.0.1:8080",
                     "--listen");
  }
  std::string host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(s.substr(colon + 1), &used);
    if (used != s.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, "the port must be 0..65535 (0: any free port)",
                     "--listen");
  }
  return std::make_pair(host, port);
}

Status RunServe(const ServeOptions& opt) {
  WB_ASSIGN_OR_RETURN(const auto listen, ParseListen(opt.listen));
  if (opt.threads < 1 || opt.threads > 256) {
    return MakeError(ErrorCode::kInvalidArgument, "must be 1..256", "--threads");
  }
  if (opt.idle_minutes < 1 || opt.lifetime_hours < 1) {
    return MakeError(ErrorCode::kInvalidArgument, "must be at least 1", "--idle-minutes");
  }
  // The register must exist (it is created by `demo`, an import or `person add`), and so the
  // first account (`user add`).
  {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
    WB_ASSIGN_OR_RETURN(auto access, store::OpenAccessStore(*reg.store));
    WB_ASSIGN_OR_RETURN(const auto accounts, access->Accounts());
    if (accounts.empty()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the register has no account yet: create the first administrator with "
                       "`whereabouts user add NAME --role administrator --db " +
                           DbDisplayName(opt.db) + "` (the password is read from standard input)");
    }
  }
  server::ServerOptions so;
  so.host = listen.first;
  so.port = listen.second;
  so.threads = opt.threads;
  so.max_body_bytes = opt.max_body_kib * 1024;
  so.max_upload_bytes = opt.max_upload_mib * 1024 * 1024;
  so.session.idle_seconds = opt.idle_minutes * 60;
  so.session.absolute_seconds = opt.lifetime_hours * 3600;
  so.web_root = opt.web;
  so.frequencies = (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string();
  so.templates = (std::filesystem::path(DataDir()) / "templates").string();
  so.db_display = DbDisplayName(opt.db);
  const std::string db = opt.db;
  server::BackendFactory factory = [db]() -> Result<std::unique_ptr<server::Backend>> {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(db, false));
    auto b = std::make_unique<server::Backend>();
    b->store = std::move(reg.store);
    b->geometry = std::move(reg.geometry);
    b->clock = std::move(reg.clock);
    b->registry = std::move(reg.registry);
    WB_ASSIGN_OR_RETURN(b->access, store::OpenAccessStore(*b->store));
    return b;
  };
  static store::SystemAccessClock clock;

  // SIGINT and SIGTERM are taken by one thread that stops the server; the others never see them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::Server srv(so, factory, clock);
  WB_RETURN_IF_ERROR(srv.Start());
  std::cout << "whereabouts: serving " << so.db_display << " on http://" << so.host << ":"
            << srv.BoundPort() << "/api/v1 (" << so.threads << " threads"
            << (so.web_root.empty() ? "" : ", web interface from " + so.web_root)
            << "); Ctrl-C stops" << std::endl;
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    srv.Stop();
  });
  srv.Run();
  // Stopped by a signal: the waiter has returned. Stopped otherwise: wake the waiter.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cout << "whereabouts: stopped" << std::endl;
  return {};
}

}  // namespace

void RegisterServe(CLI::App& root, int& exit_code) {
  auto opt = std::make_shared<ServeOptions>();
  auto* cmd = root.add_subcommand(
      "serve",
      "Serve the register as a JSON HTTP API under /api/v1 (docs/server.md): accounts with "
      "roles, sessions, CSRF tokens, API tokens, the four-eyes rule, an audit trail. Binds to "
      "loopback; put nginx with TLS in front of it (deploy/nginx/whereabouts.conf)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--listen", opt->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Worker threads (and connections to the register)")
      ->capture_default_str();
  cmd->add_option("--web", opt->web, "Folder of the built web interface to serve at /");
  cmd->add_option("--idle-minutes", opt->idle_minutes, "A session unused this long expires")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--session-hours", opt->lifetime_hours,
                  "Every session expires this long after sign-in")
      ->capture_default_str();
  cmd->add_option("--max-body-kib", opt->max_body_kib, "Largest request body accepted (KiB)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-upload-mib", opt->max_upload_mib,
                  "Largest laboratory upload accepted (MiB; POST /api/v1/identification-runs)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  SetCallback(cmd, exit_code, [opt] { return RunServe(*opt); });
}

}  // namespace whereabouts::cli
