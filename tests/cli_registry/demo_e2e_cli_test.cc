// The whole path on the demonstration register, through the real binary, as scripts/demo builds
// it (`demo --dna DIR --accounts`): `identify --db` on the register's own families, references and
// remains; its proposals name the register's sites and remains (none without a site where the
// remains have one); one proposal from a bag of commingled remains and one from a grave confirmed
// and signed off by two people (four eyes) and the families notified; the figures as of today
// count both (identified, notified, by source: the bag under "commingled", the grave under its
// site, nothing under "other"), and the figures as of yesterday are those before the run.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

struct RegisterRemains {
  int64_t site = 0;  // 0: none
  bool commingled = false;
};

// label -> site and commingled, from `remains list` (columns: id, label, kind, site, recovered
// (may be empty), commingled, holder).
std::map<std::string, RegisterRemains> RemainsOfRegister(const std::string& table) {
  std::map<std::string, RegisterRemains> out;
  std::istringstream in(table);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string x; words >> x;) w.push_back(x);
    if (w.size() < 6 || w[1] == "remains") continue;  // the closing "N remains"
    const bool dated = w[4].size() == 10 && w[4][4] == '-';
    RegisterRemains r;
    r.site = w[3] == "-" ? 0 : std::stoll(w[3]);
    r.commingled = (dated ? w[5] : w[4]) == "yes";
    out[w[1]] = r;
  }
  return out;
}

std::vector<std::string> Labels(const std::string& remains) {
  std::vector<std::string> out;
  std::istringstream in(remains);
  for (std::string l; std::getline(in, l, '|');) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

TEST(DemoEndToEndCliTest, RegisterIdentifyConfirmNotifyFigures) {
  TempDir dir;
  const std::string yesterday = Yesterday();  // before anything this test records
  RunResult r = Wb(dir, "demo --dna dna --accounts");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto before = FiguresCsv(Wb(dir, "report figures --format csv").out);
  ASSERT_GT(before.count("identified"), 0u);

  // The run on the register itself.
  r = Wb(dir,
         "identify --db whereabouts.db --out idout --quiet --by dna.analyst1 --reason "
         "'monthly run'");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string run =
      nlohmann::json::parse(Slurp(dir.File("idout/summary.json")))["run"].get<std::string>();

  const auto remains = RemainsOfRegister(Wb(dir, "remains list").out);
  ASSERT_GT(remains.size(), 100u);
  const auto proposals = nlohmann::json::parse(Wb(dir, "identification list --json").out);
  int of_run = 0, from_bags = 0, from_graves = 0;
  int64_t bag_proposal = 0, grave_proposal = 0, bag_person = 0, grave_person = 0, grave_site = 0;
  for (const auto& p : proposals) {
    if (p["run"] != run) continue;
    ++of_run;
    EXPECT_EQ(p["status"], "proposed");
    const auto labels = Labels(p["remains"].get<std::string>());
    ASSERT_FALSE(labels.empty()) << p.dump();
    int64_t site = -1;  // the one site of all the remains, 0 when any has none or they differ
    bool commingled = false;
    for (const std::string& l : labels) {
      auto it = remains.find(l);
      ASSERT_NE(it, remains.end()) << "proposal " << p["proposal"] << " names remains " << l
                                   << " that the register does not have";
      commingled = commingled || it->second.commingled;
      site = site == -1 || site == it->second.site ? it->second.site : 0;
    }
    // No proposal without a site where the remains have one.
    if (site > 0) EXPECT_EQ(p["site"].get<int64_t>(), site) << p.dump();
    if (p["ambiguous"].get<bool>()) continue;
    if (commingled) {
      ++from_bags;
      if (bag_proposal == 0) {
        bag_proposal = p["proposal"].get<int64_t>();
        bag_person = p["person"].get<int64_t>();
      }
    } else if (site > 0) {
      ++from_graves;
      if (grave_proposal == 0) {
        grave_proposal = p["proposal"].get<int64_t>();
        grave_person = p["person"].get<int64_t>();
        grave_site = site;
      }
    }
  }
  EXPECT_TRUE(Has(r.out, std::to_string(of_run) + " proposals recorded for review")) << r.out;
  ASSERT_GT(from_bags, 0) << "the demo's bags of commingled remains give proposals";
  ASSERT_GT(from_graves, 0) << "the demo's graves give proposals";
  ASSERT_NE(bag_person, grave_person);

  // Confirmed by one person, signed off by another (four eyes), the families notified.
  for (const int64_t id : {bag_proposal, grave_proposal}) {
    const std::string p = std::to_string(id);
    r = Wb(dir, "identification confirm " + p +
                    " --by dna.analyst2 --reason 'DNA and circumstances agree'");
    ASSERT_EQ(r.rc, 0) << r.err;
    r = Wb(dir, "identification sign-off " + p + " --by dna.analyst2 --reason 'mine'");
    EXPECT_EQ(r.rc, 2) << "the confirmer signs nothing off";
    r = Wb(dir, "identification sign-off " + p + " --by supervisor --reason 'file checked'");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  for (const int64_t person : {bag_person, grave_person}) {
    r = Wb(dir, "person update " + std::to_string(person) +
                    " --event family_notified --set date=" + Today() + " --by family.liaison");
    ASSERT_EQ(r.rc, 0) << r.err;
  }

  const auto now = FiguresCsv(Wb(dir, "report figures --format csv").out);
  EXPECT_EQ(now.at("identified"), before.at("identified") + 2);
  EXPECT_EQ(now.at("identified.notified"), before.at("identified.notified") + 2);
  EXPECT_EQ(now.at("missing.status.identified"), before.at("missing.status.identified") + 2);
  EXPECT_EQ(now.at("missing.status.open"), before.at("missing.status.open") - 2);
  EXPECT_EQ(now.at("identified.by_source.commingled"),
            before.at("identified.by_source.commingled") + 1);
  EXPECT_EQ(now.at("identified.by_source.graves"), before.at("identified.by_source.graves") + 1);
  const std::string site_key = "identified.by_source.graves." + std::to_string(grave_site);
  EXPECT_EQ(now.at(site_key), (before.count(site_key) ? before.at(site_key) : 0) + 1);
  EXPECT_EQ(now.at("identified.by_source.other"), before.at("identified.by_source.other"));
  const std::string year = "identified.notified.period." + Today().substr(0, 4);
  EXPECT_EQ(now.at(year), (before.count(year) ? before.at(year) : 0) + 2);
  r = Wb(dir, "report figures --show identified.by_source.commingled --format csv");
  EXPECT_TRUE(Has(r.out, "\n" + std::to_string(bag_person) + ",")) << r.out;

  // As of yesterday: the register before the run, whatever was recorded today.
  const auto earlier = FiguresCsv(Wb(dir, "report figures --format csv --as-of " + yesterday).out);
  EXPECT_EQ(earlier, before);
  r = Wb(dir, "person show " + std::to_string(bag_person) + " --as-of " + yesterday + " --json");
  EXPECT_TRUE(Has(r.out, "\"status\": \"open\"")) << r.out;
  r = Wb(dir, "person show " + std::to_string(bag_person) + " --json");
  EXPECT_TRUE(Has(r.out, "\"status\": \"identified\"")) << r.out;
}

}  // namespace
}  // namespace whereabouts::testing
