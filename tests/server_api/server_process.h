// The real `whereabouts serve` process on a free port of loopback, for the API tests: started on
// a register in a temporary folder, spoken to over HTTP (cpp-httplib's client), stopped with
// SIGTERM (graceful shutdown) at the end.
#pragma once

#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli_registry/cli_util.h"
#include "server/openapi_check.h"
#include "store/temp_dir.h"

namespace whereabouts::testing {

class ServerProcess {
 public:
  // Starts `whereabouts serve --db DB --listen 127.0.0.1:0 EXTRA` in `dir` and waits until it
  // prints the port it listens on. Throws when it does not start.
  ServerProcess(const TempDir& dir, const std::string& db, const std::string& extra = "") {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      if (chdir(dir.path().c_str()) != 0) _exit(127);
      const std::string threads =
          extra.find("--threads") == std::string::npos ? " --threads 4 " : " ";
      const std::string cmd = std::string("exec '") + WHEREABOUTS_BINARY + "' serve --db '" + db +
                              "' --listen 127.0.0.1:0" + threads + extra + " 2>&1";
      execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[512];
    while (std::fgets(line, sizeof line, f) != nullptr) {
      banner_ += line;
      const std::string s = line;
      const size_t at = s.find("http://127.0.0.1:");
      if (at != std::string::npos) {
        port_ = std::stoi(s.substr(at + 17));
        break;
      }
    }
    out_ = f;
    if (port_ == 0) {
      Stop();
      throw std::runtime_error("the server did not start: " + banner_);
    }
  }
  ~ServerProcess() { Stop(); }

  // SIGTERM, then the exit status (0 for a graceful stop).
  int Stop() {
    if (pid_ <= 0) return exit_status_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    if (out_ != nullptr) {
      char line[512];
      while (std::fgets(line, sizeof line, out_) != nullptr) banner_ += line;
      fclose(out_);
      out_ = nullptr;
    }
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return exit_status_;
  }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& output() const { return banner_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;
  FILE* out_ = nullptr;
  std::string banner_;
};

// Every response that did not match docs/openapi.json in this test process ("METHOD PATH STATUS:
// problem"); the tests' TearDown expects none.
inline std::vector<std::string>& SchemaViolations() {
  static std::vector<std::string> v;
  return v;
}

// A signed-in client: keeps the session cookie and the CSRF token; checks every response against
// the API's document.
class ApiClient {
 public:
  explicit ApiClient(int port) : http_("127.0.0.1", port) { http_.set_read_timeout(60, 0); }

  struct Reply {
    int status = 0;
    nlohmann::json body;
    std::string raw;  // the body's bytes (a PDF document)
    std::string content_type;
    httplib::Headers headers;
    [[nodiscard]] std::string Header(const std::string& k) const {
      auto it = headers.find(k);
      return it == headers.end() ? "" : it->second;
    }
  };

  // POST /api/v1/session; returns the status.
  int Login(const std::string& user, const std::string& password) {
    Reply r = Send("POST", "/api/v1/session",
                   nlohmann::json{{"username", user}, {"password", password}}.dump());
    if (r.status == 201) {
      csrf_ = r.body.value("csrf_token", "");
      const std::string cookie = r.Header("Set-Cookie");
      cookie_ = cookie.substr(0, cookie.find(';'));
    }
    return r.status;
  }

  Reply Send(const std::string& method, const std::string& path, const std::string& body = "",
             httplib::Headers extra = {}, const std::string& content_type = "application/json") {
    httplib::Headers h = std::move(extra);
    if (!cookie_.empty()) h.emplace("Cookie", cookie_);
    if (!bearer_.empty()) h.emplace("Authorization", "Bearer " + bearer_);
    if (!csrf_.empty() && method != "GET" && h.find("X-CSRF-Token") == h.end() && send_csrf_) {
      h.emplace("X-CSRF-Token", csrf_);
    }
    httplib::Result res =
        method == "GET"     ? http_.Get(path.c_str(), h)
        : method == "POST"  ? http_.Post(path.c_str(), h, body, content_type.c_str())
        : method == "PATCH" ? http_.Patch(path.c_str(), h, body, content_type.c_str())
        : method == "PUT"   ? http_.Put(path.c_str(), h, body, content_type.c_str())
                            : http_.Delete(path.c_str(), h, body, content_type.c_str());
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.headers = res->headers;
    r.content_type = res->get_header_value("Content-Type");
    r.raw = res->body;
    if (!res->body.empty() && r.content_type.rfind("application/pdf", 0) != 0) {
      r.body = nlohmann::json::parse(res->body, nullptr, false);
    }
    const std::string bare = path.substr(0, path.find('?'));
    if (auto v = OpenApi::Shared().ValidateResponse(method, bare, r.status, r.content_type, r.body);
        !v) {
      SchemaViolations().push_back(method + " " + path + " " + std::to_string(r.status) + ": " +
                                   v.error().ToString());
    }
    return r;
  }
  Reply Get(const std::string& path) { return Send("GET", path); }
  Reply Post(const std::string& path, const nlohmann::json& body, httplib::Headers h = {}) {
    return Send("POST", path, body.dump(), std::move(h));
  }

  void set_send_csrf(bool on) { send_csrf_ = on; }
  void set_bearer(const std::string& token) { bearer_ = token; }
  [[nodiscard]] const std::string& csrf() const { return csrf_; }
  [[nodiscard]] const std::string& cookie() const { return cookie_; }
  void set_cookie(std::string c) { cookie_ = std::move(c); }

 private:
  httplib::Client http_;
  std::string cookie_, csrf_, bearer_;
  bool send_csrf_ = true;
};

}  // namespace whereabouts::testing
