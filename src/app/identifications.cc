#include "app/identifications.h"

#include <algorithm>
#include <set>

namespace whereabouts::app {

Result<ProposeFromRunResult> ProposeFromRun(registry::Registry& registry,
                                            registry::RegistryStore& store,
                                            const ProposeFromRunRequest& req) {
  ProposeFromRunResult res;
  res.remains_list_given = req.site_of_sample.has_value();
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, registry.LoadSnapshot(std::nullopt));
  WB_ASSIGN_OR_RETURN(const registry::Proposals existing, registry.LoadProposals(std::nullopt));
  std::set<std::pair<std::string, int64_t>> already;  // (individual, person) proposed in this run
  for (const auto& [id, p] : existing) {
    if (p.run == req.run && p.status != registry::ProposalStatus::kRejected) {
      already.insert({p.individual, p.person.value});
    }
  }
  // A register site named in the remains list: its id, or its name when exactly one site has it.
  auto register_site = [&](const std::string& text) -> int64_t {
    int64_t found = 0;
    for (const auto& [sid, site] : snap.sites) {
      if (std::to_string(sid) == text) return sid;
      if (site.name == text) found = found ? -1 : sid;
    }
    return found > 0 ? found : 0;
  };
  auto person_text = [&](const RunCandidate& c) {
    auto it = req.person_of.find({c.family, c.missing});
    return it == req.person_of.end() ? std::string("no register id")
                                     : "person " + std::to_string(it->second.value);
  };
  static const std::vector<std::string> kNone;
  auto list_of = [](const std::map<std::string, std::vector<std::string>>& m,
                    const std::string& key) -> const std::vector<std::string>& {
    auto it = m.find(key);
    return it == m.end() ? kNone : it->second;
  };

  std::vector<registry::Event> events;
  for (const RunDecision& d : req.decisions) {
    if (d.decision == kinship::Decision::kNotIdentified) {
      ++res.not_identified;
      continue;
    }
    const bool ambiguous = d.decision == kinship::Decision::kAmbiguous;
    std::string candidates_text;
    for (const RunCandidate& c : d.candidates) {
      candidates_text += (candidates_text.empty() ? "" : "; ") + person_text(c) + " (family " +
                         c.family + ", missing " + c.missing + ", LR " + c.lr + ", posterior " +
                         c.posterior + ")";
    }
    // The site: every sample of the individual from one site that is a register site.
    std::set<std::string> sites;
    if (req.site_of_sample) {
      for (const std::string& s : list_of(req.samples_of, d.individual)) {
        if (auto it = req.site_of_sample->find(s);
            it != req.site_of_sample->end() && !it->second.empty()) {
          sites.insert(it->second);
        }
      }
    }
    int64_t site = 0;
    std::string site_note;
    if (!req.site_of_sample) {
      site_note = "no remains list given";
    } else if (sites.empty()) {
      site_note = "remains.csv names no site for the individual's samples";
    } else if (sites.size() > 1) {
      site_note = "the individual's samples come from several sites in remains.csv";
    } else if ((site = register_site(*sites.begin())) == 0) {
      site_note = "remains.csv's site '" + *sites.begin() + "' is not a register site";
    }
    std::string bags;
    for (const std::string& b : list_of(req.bags_of, d.individual)) {
      bags += (bags.empty() ? "" : "|") + b;
    }
    bool any = false;
    for (const RunCandidate& c : d.candidates) {
      auto it = req.person_of.find({c.family, c.missing});
      if (it == req.person_of.end()) continue;
      any = true;
      const registry::PersonId pid = it->second;
      WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p,
                          store.FindPerson(pid, std::nullopt));
      if (!p) {
        ++res.unknown;
        continue;
      }
      if (p->status != registry::CaseStatus::kOpen) {
        ++res.not_open;
        continue;
      }
      if (!already.insert({d.individual, pid.value}).second) {
        ++res.repeated;
        continue;
      }
      registry::Event e;
      e.kind = registry::EntityKind::kPerson;
      e.type = "person.identification_proposed";
      e.entity_id = pid.value;
      e.actor = req.actor;
      e.reason = req.reason;
      e.recorded_on = std::max(req.recorded_on, p->last_event_on);
      // The proposal id is given by the register inside the write (Registry::Record).
      e.payload["date"] = (req.date ? *req.date : req.recorded_on).ToString();
      e.payload["remains"] = bags;
      if (site > 0) e.payload["site"] = std::to_string(site);
      if (!site_note.empty()) e.payload["site_note"] = site_note;
      e.payload["lr"] = c.lr;
      e.payload["posterior"] = c.posterior;
      e.payload["run"] = req.run;
      e.payload["individual"] = d.individual;
      e.payload["family"] = c.family;
      e.payload["missing"] = c.missing;
      if (auto refs = req.references_of.find(c.family); refs != req.references_of.end()) {
        std::string text;
        for (const std::string& r : refs->second) text += (text.empty() ? "" : "|") + r;
        e.payload["references"] = text;
        std::string samples;
        for (const std::string& x : list_of(req.samples_of, d.individual)) {
          samples += (samples.empty() ? "" : "|") + x;
        }
        e.payload["samples"] = samples;
      }
      if (!c.evidence.empty()) e.payload["evidence"] = c.evidence;
      if (ambiguous) {
        e.payload["ambiguous"] = "yes";
        e.payload["candidates"] = candidates_text;
        ++res.ambiguous;
      }
      if (site == 0) ++res.without_site[site_note];
      events.push_back(std::move(e));
    }
    if (!any) ++res.unlinked;
  }
  res.proposed = static_cast<int>(events.size());
  events.insert(events.begin(), req.record_first.begin(), req.record_first.end());
  if (!events.empty()) {
    WB_ASSIGN_OR_RETURN(const auto stored, registry.RecordBatch(std::move(events)));
    if (!req.record_first.empty()) res.first_recorded_id = stored.front().entity_id;
  }
  return res;
}

}  // namespace whereabouts::app
