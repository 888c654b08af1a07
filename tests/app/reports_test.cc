// The reports on the in-memory register: figures with their chain head, the records behind a
// cell, and the chain check, which finds a history changed behind the register's back.
#include "app/reports.h"

#include <gtest/gtest.h>

#include "app/persons.h"
#include "app_test_util.h"

namespace whereabouts::app {
namespace {

using registry::PersonId;
using testing::D;

// The in-memory store whose reads show event 1 changed (as if edited in the database).
class TamperedStore final : public registry::RegistryStore {
 public:
  explicit TamperedStore(registry::RegistryStore& inner) : inner_(inner) {}
  Result<std::vector<registry::Event>> Append(std::vector<registry::Event> events) override {
    return inner_.Append(std::move(events));
  }
  Result<std::vector<registry::Person>> Persons(const registry::AsOf& as_of) override {
    return inner_.Persons(as_of);
  }
  Result<std::optional<registry::Person>> FindPerson(registry::PersonId id,
                                                     const registry::AsOf& as_of) override {
    return inner_.FindPerson(id, as_of);
  }
  Result<std::vector<registry::Event>> Events(const registry::EventQuery& q) override {
    WB_ASSIGN_OR_RETURN(auto events, inner_.Events(q));
    for (auto& e : events) {
      if (e.seq == 1) e.actor = "someone else";
    }
    return events;
  }
  Result<registry::ChainHead> Head(const registry::AsOf& as_of) override {
    return inner_.Head(as_of);
  }
  Result<int64_t> EntityVersion(registry::EntityKind kind, int64_t id) override {
    return inner_.EntityVersion(kind, id);
  }
  Result<std::optional<registry::IdempotentWrite>> FindIdempotencyKey(
      const std::string& key) override {
    return inner_.FindIdempotencyKey(key);
  }
  Status RememberIdempotencyKey(const std::string& key,
                                const registry::IdempotentWrite& w) override {
    return inner_.RememberIdempotencyKey(key, w);
  }
  Result<int64_t> NextId(registry::EntityKind kind) override { return inner_.NextId(kind); }

 private:
  registry::RegistryStore& inner_;
};

class ReportsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    for (const char* name : {"Velani", "Morsa"}) {
      PersonDetails d;
      d.family_name = name;
      d.sex = registry::Sex::kFemale;
      d.birth_date = D("1960-01-01");
      d.disappearance_date = D("1993-05-01");
      ASSERT_TRUE(RegisterPerson(registry_, {Meta(), d}));
    }
    clock_.Set(D("2024-06-01"));
    PersonDetails d;
    d.family_name = "Tulan";
    d.affiliation = registry::Affiliation::kServiceman;
    ASSERT_TRUE(RegisterPerson(registry_, {Meta(), d}));
    registry::Event r;
    r.kind = registry::EntityKind::kRemains;
    r.type = "remains.recovered";
    r.actor = "team";
    r.payload = {{"label", "B-1"},
                 {"remains_kind", "bag"},
                 {"holder", "Morgue"},
                 {"recovered_on", "2024-05-20"}};
    auto stored = registry_.Record(r);
    ASSERT_TRUE(stored) << stored.error().ToString();
  }
};

TEST_F(ReportsTest, FiguresComeWithTheEventTheyWereComputedFrom) {
  auto now = ComputeFigures(registry_, {std::nullopt, {}});
  ASSERT_TRUE(now) << now.error().ToString();
  EXPECT_EQ(now->figures.Value("missing"), 3);
  EXPECT_EQ(now->figures.Value("missing.serviceman"), 1);
  EXPECT_EQ(now->figures.Value("remains"), 1);
  EXPECT_TRUE(now->figures.AllAddUp());
  EXPECT_EQ(now->head.seq, 4);
  EXPECT_EQ(now->head.recorded_on, D("2024-06-01"));
  auto then = ComputeFigures(registry_, {D("2024-05-15"), {}});
  ASSERT_TRUE(then);
  EXPECT_EQ(then->figures.Value("missing"), 2);
  EXPECT_EQ(then->head.seq, 2);
  auto bad = ComputeFigures(registry_, {std::nullopt, {60, 18}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "age_limits");
}

TEST_F(ReportsTest, TheRecordsBehindACell) {
  auto civ = RecordsBehindCell(registry_, store_, {std::nullopt, {}, "missing.civilian"});
  ASSERT_TRUE(civ) << civ.error().ToString();
  EXPECT_EQ(civ->row.entity, "person");
  EXPECT_EQ(civ->row.value, 2);
  ASSERT_EQ(civ->persons.size(), 2u);
  EXPECT_EQ(civ->persons[0].family_name, "Velani");
  EXPECT_EQ(civ->persons[1].family_name, "Morsa");
  EXPECT_TRUE(civ->remains.empty());
  EXPECT_EQ(civ->head.seq, 4);
  auto remains = RecordsBehindCell(registry_, store_, {std::nullopt, {}, "remains"});
  ASSERT_TRUE(remains) << remains.error().ToString();
  ASSERT_EQ(remains->remains.size(), 1u);
  EXPECT_EQ(remains->remains[0].label, "B-1");
  EXPECT_EQ(remains->remains[0].holder, "Morgue");
  auto none = RecordsBehindCell(registry_, store_, {std::nullopt, {}, "no.such.cell"});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.error().field, "cell");
}

TEST_F(ReportsTest, TheChainIsIntactUntilTheHistoryIsChanged) {
  auto ok = VerifyChain(registry_);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_TRUE(ok->intact);
  EXPECT_EQ(ok->head.seq, 4);
  EXPECT_FALSE(ok->head.hash.empty());
  TamperedStore tampered(store_);
  registry::Registry changed(tampered, geometry_, clock_);
  auto bad = VerifyChain(changed);
  ASSERT_TRUE(bad) << bad.error().ToString();
  EXPECT_FALSE(bad->intact);
  EXPECT_NE(bad->problem.find("event #1"), std::string::npos) << bad->problem;
  store::MemoryStore empty_store;
  registry::Registry empty(empty_store, geometry_, clock_);
  auto e = VerifyChain(empty);
  ASSERT_TRUE(e && e->intact);
  EXPECT_EQ(e->head.seq, 0);
}

}  // namespace
}  // namespace whereabouts::app
