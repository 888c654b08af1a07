// The run id of identify: a function of the inputs' bytes, the options that decide the results
// and the results, and of nothing else (threads and progress do not enter); documented recipe.
#include "app/identify_run.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

struct FakeRun {
  std::vector<std::string> input_bytes = {"family,id\nF1,A\n", "Sample Name,Marker\n"};
  std::vector<std::string> result_bytes = {"individual,sample,bag\n", "{\"counts\":{}}"};
  kinship::IdentifyOptions options;

  std::string Id() const {
    std::vector<RunPart> inputs = {{"families", input_bytes[0]}, {"references", input_bytes[1]}};
    std::vector<RunPart> results = {{"individuals.csv", result_bytes[0]},
                                    {"summary", result_bytes[1]}};
    return IdentifyRunId(inputs, options, results);
  }
};

TEST(IdentifyRunIdTest, SameInputsOptionsAndResultsGiveTheSameId) {
  const FakeRun a, b;
  EXPECT_EQ(a.Id(), b.Id());
  EXPECT_EQ(a.Id().size(), 64u);
  FakeRun c;
  c.options.threads = 7;  // does not change results
  c.options.progress = [](const std::string&, double) {};
  EXPECT_EQ(a.Id(), c.Id());
}

TEST(IdentifyRunIdTest, AnyInputOptionOrResultChangesTheId) {
  const std::string base = FakeRun{}.Id();
  FakeRun r;
  r.input_bytes[0] += "F1,B\n";
  EXPECT_NE(r.Id(), base);
  r = FakeRun{};
  r.result_bytes[1] = "{\"counts\":{\"x\":1}}";
  EXPECT_NE(r.Id(), base);
  std::vector<std::function<void(kinship::IdentifyOptions&)>> changes = {
      [](auto& o) { o.remains_dropout = 0.2; },
      [](auto& o) { o.mutation.female.rate = 0.004; },
      [](auto& o) { o.screen_mutation = kinship::MutationSpec{}; },
      [](auto& o) { o.theta = 0.01; },
      [](auto& o) { o.top_k = 9; },
      [](auto& o) { o.screen_lr_threshold = 99; },
      [](auto& o) { o.reassociation_lr = 1e3; },
      [](auto& o) { o.posterior_threshold = 0.999; },
      [](auto& o) { o.lr_threshold = 1e4 + 1e-9; },  // 17 digits tell it apart
      [](auto& o) { o.prior_none = 0.5; },
      [](auto& o) { o.minimum_frequency = 0.0; },
      // The joint model's options (issue 9).
      [](auto& o) { o.amelogenin_y_loss = 0.01; },
      [](auto& o) { o.max_inconsistent_markers = 2; },
      [](auto& o) { o.max_family_assignments = 0; },
      [](auto& o) { o.family_budget = 500; },
      [](auto& o) { o.joint_min_posterior = 0.0; },
  };
  std::set<std::string> seen = {base};
  for (size_t k = 0; k < changes.size(); ++k) {
    FakeRun c;
    changes[k](c.options);
    EXPECT_TRUE(seen.insert(c.Id()).second) << "change " << k;
  }
}

// The identifications conditioned on (--identified, or the register's confirmed ones) are part of
// the canonical options: another set, or none, gives another id; the same set the same id.
TEST(IdentifyRunIdTest, TheConditioningSetChangesTheId) {
  const FakeRun r;
  std::vector<RunPart> inputs = {{"families", r.input_bytes[0]}};
  std::vector<RunPart> results = {{"summary", r.result_bytes[1]}};
  const std::vector<kinship::GivenIdentification> one = {{"RS-1", "F1", "M2"}};
  const std::vector<kinship::GivenIdentification> other = {{"RS-1", "F1", "M3"}};
  const std::vector<kinship::GivenIdentification> two = {{"RS-1", "F1", "M2"}, {"RS-7", "F2", "M"}};
  const std::string none_id = IdentifyRunId(inputs, r.options, results);
  const std::string one_id = IdentifyRunId(inputs, r.options, results, one);
  EXPECT_NE(one_id, none_id);
  EXPECT_EQ(IdentifyRunId(inputs, r.options, results, one), one_id);
  EXPECT_NE(IdentifyRunId(inputs, r.options, results, other), one_id);
  EXPECT_NE(IdentifyRunId(inputs, r.options, results, two), one_id);
  EXPECT_NE(CanonicalOptions(r.options, one).find("identified RS-1 F1 M2\n"), std::string::npos);
  EXPECT_EQ(CanonicalOptions(r.options).find("identified"), std::string::npos);
}

TEST(IdentifyRunIdTest, FollowsTheDocumentedRecipe) {
  const FakeRun r;
  const std::string text =
      "whereabouts-identify-run/1\n"
      "input families " +
      registry::Sha256Hex(r.input_bytes[0]) + "\n" + "input references " +
      registry::Sha256Hex(r.input_bytes[1]) + "\n" + "options " +
      registry::Sha256Hex(CanonicalOptions(r.options)) + "\n" + "result individuals.csv " +
      registry::Sha256Hex(r.result_bytes[0]) + "\n" + "result summary " +
      registry::Sha256Hex(r.result_bytes[1]) + "\n";
  EXPECT_EQ(r.Id(), registry::Sha256Hex(text));
  const std::string opts = CanonicalOptions(r.options);
  EXPECT_NE(opts.find("remains_dropout 0.10000000000000001\n"), std::string::npos) << opts;
  EXPECT_NE(opts.find("mutation_male equal 0.0050000000000000001 0 0\n"), std::string::npos)
      << opts;
  EXPECT_NE(opts.find("screen_mutation auto\n"), std::string::npos);
  EXPECT_NE(opts.find("prior_none default\n"), std::string::npos);
  EXPECT_NE(opts.find("amelogenin_y_loss off\n"), std::string::npos) << opts;
  EXPECT_NE(opts.find("max_inconsistent_markers off\n"), std::string::npos) << opts;
  EXPECT_NE(opts.find("max_family_assignments 20000\n"), std::string::npos) << opts;
  EXPECT_NE(opts.find("joint_min_posterior 9.9999999999999995e-07\n"), std::string::npos) << opts;
  EXPECT_EQ(opts.find("threads"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::app
