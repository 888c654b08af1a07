// Writes per second with 1, 4 and 16 concurrent writers on one register: each writer is a thread
// with its own connection (as separate processes or server workers would have), recording single
// person registrations through Registry::Record (rules, id and append in one write transaction).
// SQLite always; PostgreSQL too when WHEREABOUTS_BENCH_PG (or WHEREABOUTS_TEST_PG) names a
// database. Prints writes/s and the ratio to one writer, measured in the same run.
//   build/bench/bench_writers [writes-per-writer]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "registry/registry.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/system_clock.h"

namespace whereabouts {
namespace {

using Opener = std::function<Result<std::unique_ptr<registry::RegistryStore>>()>;

// Seconds for `writers` threads to record `per_writer` persons each; aborts on a lost write.
double Run(const Opener& open, int writers, int per_writer) {
  std::atomic<int> failures{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      auto store = open();
      if (!store) {
        std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
        ++failures;
        ++ready;
        return;
      }
      registry::PlanarGeometry geo;
      store::SystemClock clock;
      registry::Registry reg(**store, geo, clock);
      ++ready;
      while (!go) std::this_thread::yield();
      for (int i = 0; i < per_writer; ++i) {
        registry::Event e;
        e.kind = registry::EntityKind::kPerson;
        e.type = "person.registered";
        e.actor = "bench";
        e.payload["family_name"] = "W" + std::to_string(w) + "-" + std::to_string(i);
        auto r = reg.Record(e);
        if (!r) {
          std::fprintf(stderr, "writer %d: %s\n", w, r.error().ToString().c_str());
          ++failures;
        }
      }
    });
  }
  while (ready < writers) std::this_thread::yield();
  const auto t0 = std::chrono::steady_clock::now();
  go = true;
  for (auto& t : threads) t.join();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (failures > 0) {
    std::fprintf(stderr, "%d writes failed\n", failures.load());
    std::exit(1);
  }
  return s;
}

void Bench(const char* name, const Opener& open, int per_writer) {
  double base = 0;
  std::printf("%-10s %8s %10s %12s %14s\n", name, "writers", "writes", "writes/s", "vs 1 writer");
  for (int writers : {1, 4, 16}) {
    const double s = Run(open, writers, per_writer);
    const double rate = writers * per_writer / s;
    if (writers == 1) base = rate;
    std::printf("%-10s %8d %10d %12.0f %13.2fx\n", name, writers, writers * per_writer, rate,
                rate / base);
  }
}

}  // namespace
}  // namespace whereabouts

int main(int argc, char** argv) {
  using namespace whereabouts;
  const int per_writer = argc > 1 ? std::atoi(argv[1]) : 200;
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("wb-bench-writers-" + std::to_string(getpid()) + ".db"))
                               .string();
  {
    auto first = store::SqliteStore::Open(path);  // create the schema once
    if (!first) return 1;
  }
  Bench(
      "sqlite",
      [&]() -> Result<std::unique_ptr<registry::RegistryStore>> {
        WB_ASSIGN_OR_RETURN(auto s, store::SqliteStore::Open(path));
        return std::unique_ptr<registry::RegistryStore>(std::move(s));
      },
      per_writer);
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  const char* pg = std::getenv("WHEREABOUTS_BENCH_PG");
  if (pg == nullptr) pg = std::getenv("WHEREABOUTS_TEST_PG");
  if (pg != nullptr) {
    const std::string uri = pg;
    Bench(
        "postgres",
        [&]() -> Result<std::unique_ptr<registry::RegistryStore>> {
          WB_ASSIGN_OR_RETURN(auto s, store::PostgresStore::Open(uri));
          return std::unique_ptr<registry::RegistryStore>(std::move(s));
        },
        per_writer);
  } else {
    std::printf("postgres: skipped (set WHEREABOUTS_BENCH_PG to a database URI)\n");
  }
  return 0;
}
