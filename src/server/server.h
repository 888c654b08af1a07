// `whereabouts serve`: the register as a JSON HTTP API under /api/v1 (cpp-httplib), for the web
// interface and laboratories' tools. Every route is declared once in the route table
// (RouteTable()) with the permission it needs (app/roles.h); the server authenticates the request
// (session cookie with a CSRF token on unsafe methods, or an API token), checks the permission,
// parses the JSON strictly, calls the use case in src/app/ and writes the audit record
// (app/audit.h) in the same transaction as the write. Errors are application/problem+json (RFC
// 9457). docs/server.md describes deployment; docs/openapi.json every route.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/access_store.h"
#include "app/accounts.h"
#include "app/roles.h"
#include "common/result.h"
#include "registry/clock.h"
#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace whereabouts::server {

// One connection to the register with everything a request needs. The server keeps a pool of
// them (one request at a time each).
struct Backend {
  std::unique_ptr<registry::RegistryStore> store;
  std::unique_ptr<registry::Geometry> geometry;
  std::unique_ptr<registry::Clock> clock;
  std::unique_ptr<registry::Registry> registry;
  std::unique_ptr<app::AccessStore> access;
};
using BackendFactory = std::function<Result<std::unique_ptr<Backend>>()>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: any free port (BoundPort() tells which)
  int threads = 8;                     // worker threads, and connections to the register
  size_t max_body_bytes = 1 << 20;     // larger request bodies get 413
  size_t max_upload_bytes = 64 << 20;  // the same for routes that take laboratory files
  int read_timeout_seconds = 10;
  app::SessionPolicy session;
  std::string web_root;     // static files of the web interface ("" none)
  std::string frequencies;  // default frequency database of identification runs (a path)
  std::string templates;    // the folder of the documents' templates (data/templates)
  std::string db_display;   // how the register is named in /health and logs
};

// A request as a route's handler sees it.
struct Call {
  Call(Backend& b, app::AccessClock& c, const ServerOptions& o, const BackendFactory& f)
      : backend(b), clock(c), options(o), factory(f) {}
  Backend& backend;
  app::AccessClock& clock;
  const ServerOptions& options;
  const BackendFactory& factory;  // opens another connection (background work)
  app::Principal who;             // account 0 for public routes
  std::string address;            // the client's address
  std::vector<std::string> path;  // the path's parameters, in order ("12" for /persons/{id})
  std::map<std::string, std::string> query;
  nlohmann::json body;          // the parsed JSON body (an object), or null
  std::string if_match;         // the If-Match header ("" none)
  std::string idempotency_key;  // the Idempotency-Key header ("" none)
  std::string session_id;       // the session cookie ("" none)
  // Filled by the handler for the audit record: which records it touched, and whether a read must
  // be audited (genetic data, a restricted case).
  std::string records;
  bool audit_read = false;
  // Filled by the handler: response headers (Set-Cookie, ETag, Location).
  std::vector<std::pair<std::string, std::string>> headers;
};

struct Reply {
  int status = 200;
  nlohmann::json body;
  std::string content_type = "application/json";
  // A body that is not JSON (a PDF document): sent as it is, with `content_type`, when not empty.
  std::string bytes{};
};

using Handler = std::function<Result<Reply>(Call&)>;

// How a route is audited.
enum class AuditKind {
  kNone,   // a plain read
  kWrite,  // every call, with its outcome, in the write's own transaction
  kSelf,   // the use case audits itself (sign-in, sign-out)
};

struct RouteSpec {
  std::string method;  // GET, POST, PATCH, DELETE
  std::string path;    // as in docs/openapi.json: /api/v1/persons/{id}
  app::Permission permission;
  AuditKind audit = AuditKind::kNone;
  std::string action;  // the audit action ("person.update")
  Handler handler;
  bool upload = false;  // takes laboratory files: up to max_upload_bytes
};

// Every route of the API (the table the server serves and the tests check).
[[nodiscard]] const std::vector<RouteSpec>& RouteTable();

// Background identification runs (POST /api/v1/identification-runs).
struct RunState {
  int64_t id = 0;
  std::string status = "queued";  // queued, running, done, failed
  std::string stage;
  double fraction = 0;
  std::string started_by;
  nlohmann::json result;  // counts when done; the error when failed
};
class RunQueue {
 public:
  int64_t Submit(std::string by, std::function<nlohmann::json(RunState&)> work);
  [[nodiscard]] std::optional<RunState> Find(int64_t id);
  void Update(int64_t id, const std::function<void(RunState&)>& change);
  void StopAndJoin();
  ~RunQueue() { StopAndJoin(); }

 private:
  std::mutex mu_;
  std::map<int64_t, RunState> runs_;
  std::vector<std::thread> threads_;
  std::set<std::thread::id> finished_;  // threads whose run is done (joined at the next Submit)
  int64_t next_ = 1;
};
RunQueue& Runs();  // the server's queue

class Server {
 public:
  Server(ServerOptions options, BackendFactory factory, app::AccessClock& clock);
  ~Server();
  // Opens `options.threads` connections to the register and binds. Errors: the factory's; kIo
  // when the address cannot be bound.
  [[nodiscard]] Status Start();
  [[nodiscard]] int BoundPort() const { return port_; }
  // Serves until Stop() (from another thread or a signal handler's thread).
  void Run();
  // Stops accepting, lets requests in progress finish, and returns from Run().
  void Stop();

 private:
  void Dispatch(const RouteSpec& route, const httplib::Request& req, httplib::Response& res);
  std::unique_ptr<Backend> Acquire();
  void Release(std::unique_ptr<Backend> b);

  ServerOptions options_;
  BackendFactory factory_;
  app::AccessClock& clock_;
  std::unique_ptr<httplib::Server> http_;
  int port_ = 0;
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Backend>> pool_;
  // Writes of this process queue here, in order, instead of polling the database's lock (SQLite's
  // busy handler sleeps with back-off, which makes the tail latency of concurrent writes long).
  std::mutex write_mu_;
};

// The problem+json body of an error (RFC 9457): type, title, status, detail, field.
[[nodiscard]] nlohmann::json Problem(const Error& e);

}  // namespace whereabouts::server
