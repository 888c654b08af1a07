#include "server/server.h"

#include <httplib.h>

#include <regex>
#include <thread>

#include "app/audit.h"

namespace whereabouts::server {
namespace {

using nlohmann::json;

constexpr const char* kSessionCookie = "__Host-wb_session";

std::string_view CodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kFailedPrecondition:
      return "rule";
    case ErrorCode::kPermissionDenied:
      return "permission-denied";
    case ErrorCode::kAlreadyExists:
      return "already-exists";
    case ErrorCode::kUnimplemented:
      return "unimplemented";
    case ErrorCode::kResourceExhausted:
      return "too-large";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kIo:
      return "storage";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kTooManyRequests:
      return "too-many-requests";
  }
  return "internal";
}

std::string Title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 507:
      return "Insufficient Storage";
    default:
      return "Error";
  }
}

json ProblemWithStatus(const Error& e, int status) {
  json j = {{"type", "https://whereabouts.invalid/problems/" + std::string(CodeName(e.code))},
            {"title", Title(status)},
            {"status", status},
            {"detail", e.message}};
  if (!e.field.empty()) j["field"] = e.field;
  return j;
}

void SendProblem(httplib::Response& res, const Error& e, int status) {
  res.status = status;
  res.set_content(ProblemWithStatus(e, status).dump(), "application/problem+json");
}

bool IsUnsafe(const std::string& method) { return method != "GET" && method != "HEAD"; }

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string_view part(cookies.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

// "/api/v1/persons/{id}" -> "/api/v1/persons/([^/]+)".
std::string PathPattern(const std::string& path) {
  static const std::regex kParam(R"(\{[a-z_]+\})");
  return std::regex_replace(path, kParam, "([^/]+)");
}

std::string OutcomeOf(const Error& e) {
  return std::to_string(HttpStatus(e.code)) + " " + e.ToString();
}

}  // namespace

json Problem(const Error& e) { return ProblemWithStatus(e, HttpStatus(e.code)); }

// ---------------------------------------------------------------------------------------------
// The identification runs in the background.

RunQueue& Runs() {
  static RunQueue queue;
  return queue;
}

int64_t RunQueue::Submit(std::string by, std::function<json(RunState&)> work) {
  std::lock_guard<std::mutex> lock(mu_);
  // The threads of finished runs are joined here, so that they do not pile up.
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (finished_.count(it->get_id()) > 0) {
      finished_.erase(it->get_id());
      it->join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
  const int64_t id = next_++;
  RunState s;
  s.id = id;
  s.started_by = std::move(by);
  runs_[id] = s;
  threads_.emplace_back([this, id, work = std::move(work)] {
    Update(id, [](RunState& r) { r.status = "running"; });
    RunState copy;
    {
      std::lock_guard<std::mutex> l(mu_);
      copy = runs_[id];
    }
    json result = work(copy);
    std::lock_guard<std::mutex> l(mu_);
    RunState& r = runs_[id];
    r.result = result;
    r.status = result.contains("error") ? "failed" : "done";
    if (r.status == "done") r.fraction = 1.0;
    finished_.insert(std::this_thread::get_id());
  });
  return id;
}

std::optional<RunState> RunQueue::Find(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(id);
  if (it == runs_.end()) return std::nullopt;
  return it->second;
}

void RunQueue::Update(int64_t id, const std::function<void(RunState&)>& change) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = runs_.find(id);
  if (it != runs_.end()) change(it->second);
}

void RunQueue::StopAndJoin() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) {
    if (t.joinable()) t.join();
  }
}

// ---------------------------------------------------------------------------------------------

Server::Server(ServerOptions options, BackendFactory factory, app::AccessClock& clock)
    : options_(std::move(options)), factory_(std::move(factory)), clock_(clock) {}

Server::~Server() { Runs().StopAndJoin(); }

std::unique_ptr<Backend> Server::Acquire() {
  std::unique_lock<std::mutex> lock(pool_mu_);
  pool_cv_.wait(lock, [&] { return !pool_.empty(); });
  auto b = std::move(pool_.back());
  pool_.pop_back();
  return b;
}

void Server::Release(std::unique_ptr<Backend> b) {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    pool_.push_back(std::move(b));
  }
  pool_cv_.notify_one();
}

Status Server::Start() {
  const int n = std::max(1, options_.threads);
  for (int i = 0; i < n; ++i) {
    WB_ASSIGN_OR_RETURN(auto b, factory_());
    pool_.push_back(std::move(b));
  }
  http_ = std::make_unique<httplib::Server>();
  auto& svr = *http_;
  svr.new_task_queue = [n] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
  svr.set_payload_max_length(std::max(options_.max_body_bytes, options_.max_upload_bytes));
  svr.set_read_timeout(options_.read_timeout_seconds, 0);
  svr.set_write_timeout(options_.read_timeout_seconds, 0);
  svr.set_keep_alive_max_count(1000);
  svr.set_tcp_nodelay(true);  // small JSON replies: no Nagle delay on keep-alive connections
  svr.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                           {"Referrer-Policy", "no-referrer"},
                           {"Cache-Control", "no-store"}});
  for (const RouteSpec& route : RouteTable()) {
    const std::string pattern = PathPattern(route.path);
    auto handler = [this, &route](const httplib::Request& req, httplib::Response& res) {
      Dispatch(route, req, res);
    };
    if (route.method == "GET")
      svr.Get(pattern, handler);
    else if (route.method == "POST")
      svr.Post(pattern, handler);
    else if (route.method == "PATCH")
      svr.Patch(pattern, handler);
    else if (route.method == "PUT")
      svr.Put(pattern, handler);
    else if (route.method == "DELETE")
      svr.Delete(pattern, handler);
  }
  if (!options_.web_root.empty()) {
    if (!svr.set_mount_point("/", options_.web_root)) {
      return MakeError(ErrorCode::kNotFound, "no web interface folder " + options_.web_root,
                       "--web");
    }
  }
  // Errors httplib answers itself (unknown path, body too large) become problem+json too.
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    Error e{ErrorCode::kNotFound, "no route " + req.method + " " + req.path, ""};
    if (res.status == 413)
      e = {ErrorCode::kInvalidArgument, "the request body is too large", "body"};
    if (res.status == 400) e = {ErrorCode::kInvalidArgument, "malformed request", ""};
    SendProblem(res, e, res.status);
  });
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SendProblem(res, Error{ErrorCode::kInternal, "internal error", ""}, 500);
      });
  if (options_.port == 0) {
    port_ = svr.bind_to_any_port(options_.host);
    if (port_ <= 0) return MakeError(ErrorCode::kIo, "cannot bind to " + options_.host);
  } else {
    if (!svr.bind_to_port(options_.host, options_.port)) {
      return MakeError(ErrorCode::kIo, "cannot bind to " + options_.host + ":" +
                                           std::to_string(options_.port) +
                                           " (in use, or not an address of this machine)");
    }
    port_ = options_.port;
  }
  return {};
}

void Server::Run() {
  if (http_) http_->listen_after_bind();
}

void Server::Stop() {
  if (http_) http_->stop();
}

void Server::Dispatch(const RouteSpec& route, const httplib::Request& req, httplib::Response& res) {
  std::unique_ptr<Backend> backend = Acquire();
  // The connection goes back to the pool; one whose database failed (a PostgreSQL restart, a
  // dropped connection) is replaced by a fresh one when that can be opened.
  struct Giver {
    Server* s;
    std::unique_ptr<Backend>* b;
    bool broken = false;
    ~Giver() {
      if (broken) {
        if (auto fresh = s->factory_(); fresh) *b = std::move(*fresh);
      }
      s->Release(std::move(*b));
    }
  } giver{this, &backend};

  Call call(*backend, clock_, options_, factory_);
  // Behind nginx on the same machine (deploy/nginx/whereabouts.conf) the client is in X-Real-IP;
  // from anywhere else that header is not trusted.
  call.address = req.remote_addr;
  if ((req.remote_addr == "127.0.0.1" || req.remote_addr == "::1") && req.has_header("X-Real-IP")) {
    call.address = req.get_header_value("X-Real-IP") + " via " + req.remote_addr;
  }
  for (size_t i = 1; i < req.matches.size(); ++i) call.path.push_back(req.matches[i].str());
  for (const auto& [k, v] : req.params) call.query[k] = v;
  call.if_match = req.get_header_value("If-Match");
  call.idempotency_key = req.get_header_value("Idempotency-Key");
  call.session_id = CookieValue(req, kSessionCookie);
  app::AccessContext ctx{*backend->access, *backend->store, clock_};

  // Who is asking.
  if (route.permission != app::Permission::kPublic) {
    const std::string auth = req.get_header_value("Authorization");
    Result<app::Authenticated> who = MakeError(ErrorCode::kUnauthenticated, "sign in first");
    if (auth.rfind("Bearer ", 0) == 0) {
      who = app::AuthenticateToken(ctx, auth.substr(7));
    } else if (!call.session_id.empty()) {
      who = app::AuthenticateSession(ctx, options_.session, call.session_id);
      if (who && IsUnsafe(req.method)) {
        if (auto csrf = app::CheckCsrf(who->session, req.get_header_value("X-CSRF-Token")); !csrf) {
          (void)app::AppendAudit(
              ctx, {who->principal.name, route.action.empty() ? "request" : route.action,
                    req.method + " " + req.path, call.address, OutcomeOf(csrf.error())});
          return SendProblem(res, csrf.error(), 403);
        }
      }
    }
    if (!who) {
      if (who.error().code == ErrorCode::kIo || who.error().code == ErrorCode::kUnavailable) {
        giver.broken = true;
      }
      res.set_header("WWW-Authenticate", "Bearer realm=\"whereabouts\"");
      return SendProblem(res, who.error(), HttpStatus(who.error().code));
    }
    call.who = who->principal;
    if (auto ok = app::Authorize(call.who, route.permission); !ok) {
      (void)app::AppendAudit(ctx,
                             {call.who.name, route.action.empty() ? "request" : route.action,
                              req.method + " " + req.path, call.address, OutcomeOf(ok.error())});
      return SendProblem(res, ok.error(), 403);
    }
  }

  // The body: JSON objects only.
  if (req.method == "POST" || req.method == "PATCH" || req.method == "PUT") {
    const size_t limit = route.upload ? options_.max_upload_bytes : options_.max_body_bytes;
    if (req.body.size() > limit) {
      return SendProblem(res,
                         Error{ErrorCode::kInvalidArgument,
                               "the request body is too large (at most " +
                                   std::to_string(limit / 1024) + " KiB here)",
                               "body"},
                         413);
    }
    if (!req.body.empty()) {
      const std::string type = req.get_header_value("Content-Type");
      if (type.rfind("application/json", 0) != 0) {
        return SendProblem(res,
                           Error{ErrorCode::kInvalidArgument,
                                 "the request body must be application/json", "Content-Type"},
                           415);
      }
      call.body = json::parse(req.body, nullptr, false);
      if (call.body.is_discarded()) {
        return SendProblem(res, Error{ErrorCode::kInvalidArgument, "malformed JSON", "body"}, 400);
      }
      if (!call.body.is_object()) {
        return SendProblem(
            res, Error{ErrorCode::kInvalidArgument, "the body must be a JSON object", "body"}, 400);
      }
    } else {
      call.body = json::object();
    }
  }

  Result<Reply> reply = MakeError(ErrorCode::kInternal, "no reply");
  if (route.audit == AuditKind::kWrite) {
    // The write and its audit record commit together; a refused write is audited on its own.
    std::lock_guard<std::mutex> one_writer(write_mu_);
    Status st = backend->access->RunWrite([&]() -> Status {
      reply = route.handler(call);
      if (!reply) return tl::unexpected(reply.error());
      WB_ASSIGN_OR_RETURN(
          const app::AuditRecord r,
          app::AppendAudit(ctx, {call.who.name, route.action, call.records, call.address, "ok"}));
      (void)r;
      return {};
    });
    if (!st) {
      reply = tl::unexpected(st.error());
      (void)app::AppendAudit(
          ctx, {call.who.name, route.action, call.records.empty() ? req.path : call.records,
                call.address, OutcomeOf(st.error())});
    }
  } else {
    reply = route.handler(call);
    if (reply && call.audit_read) {
      if (auto a = app::AppendAudit(
              ctx, {call.who.name, route.action, call.records, call.address, "ok"});
          !a) {
        reply = tl::unexpected(a.error());  // a read that cannot be audited is not served
      }
    }
  }
  if (!reply && (reply.error().code == ErrorCode::kIo || reply.error().code == ErrorCode::kUnavailable)) {
    giver.broken = true;
  }
  for (const auto& [k, v] : call.headers) res.set_header(k, v);
  if (!reply) {
    int status = HttpStatus(reply.error().code);
    if (reply.error().code == ErrorCode::kConflict && !call.if_match.empty()) status = 412;
    if (reply.error().field == "If-Match" && reply.error().code == ErrorCode::kFailedPrecondition) {
      status = 428;
    }
    return SendProblem(res, reply.error(), status);
  }
  res.status = reply->status;
  if (!reply->bytes.empty()) {
    res.set_content(reply->bytes, reply->content_type.c_str());
  } else if (reply->status != 204) {
    res.set_content(reply->body.dump(), reply->content_type.c_str());
  }
}

}  // namespace whereabouts::server
