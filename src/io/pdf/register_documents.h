// The register's documents laid out from their templates (document_template.h): certificates of
// absence and of death, the family's notification letter and the figures report. Each takes the
// data a use case of src/app/documents.h or app/reports.h gathered (as registry types) and the
// template's text, and gives the Document to render (pdf_document.h). The document's date is the
// chain head's recorded date, never the clock. Pure.
//
// Placeholders every template may use: {person_id}, {full_name}, {sex}, {birth},
// {disappearance_date}, {disappearance_place}, {case_status}, {chain_seq}, {chain_date},
// {chain_hash}, {chain_head} (one sentence naming all three); the death certificate adds
// {death_basis}, {death_date}, {death_place}; the letter and a death certificate resting on an
// identification add {proposal}, {identified_on}, {remains}, {site}, {signed_off_on},
// {signed_off_by}, {confirmed_by}. The figures report: {as_of}, {child_below}, {elderly_from},
// {checks_ok}, {checks}, {chain_*}. Inserts: names (every spelling, with its script), person (the
// case's particulars), register (the chain head), identification; figures, charts, definitions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "io/pdf/pdf_document.h"
#include "registry/event.h"
#include "registry/figures.h"
#include "registry/identification.h"
#include "registry/identification_evidence.h"
#include "registry/person.h"
#include "registry/snapshot.h"

namespace whereabouts::io::pdf {

// The writing system a name is in, from its first letter: "Latin", "Cyrillic", "Armenian",
// "Georgian", "Arabic", "Hebrew", "Greek", or "other script".
[[nodiscard]] std::string ScriptOf(std::string_view text);

// Errors of all four: those of DocumentFromTemplate (source names the template).
[[nodiscard]] Result<Document> AbsenceCertificateDocument(const registry::Person& person,
                                                          const registry::ChainHead& head,
                                                          std::string_view template_text,
                                                          const std::string& source);

// `identification` null: the certificate rests on the person's reported death.
[[nodiscard]] Result<Document> DeathCertificateDocument(
    const registry::Person& person, const registry::IdentificationProposal* identification,
    const registry::ChainHead& head, std::string_view template_text, const std::string& source);

[[nodiscard]] Result<Document> NotificationLetterDocument(
    const registry::Person& person, const registry::IdentificationProposal& identification,
    const registry::ChainHead& head, std::string_view template_text, const std::string& source);

// What the identification report shows (app::IdentificationReport, as registry types).
struct IdentificationReportFacts {
  const registry::Person* person = nullptr;                          // REQUIRED
  const registry::IdentificationProposal* proposal = nullptr;        // REQUIRED
  const registry::ProposalEvidence* evidence = nullptr;              // REQUIRED
  const registry::Site* site = nullptr;                              // the proposal's, or null
  const std::vector<registry::Remains>* remains = nullptr;           // REQUIRED (may be empty)
  const std::map<int64_t, registry::Site>* remains_sites = nullptr;  // REQUIRED
  const std::map<int64_t, std::vector<registry::Event>>* custody = nullptr;        // REQUIRED
  const std::vector<std::string>* remains_not_in_register = nullptr;               // REQUIRED
  const std::vector<registry::IdentificationProposal>* same_individual = nullptr;  // REQUIRED
};

// The facts of a report value that has these members (app::IdentificationReport: person,
// proposal, evidence, site, remains, remains_sites, custody, remains_not_in_register,
// same_individual), as pointers into it: the adapters (CLI, server) map the use case's result
// with it without this layer depending on the use cases. REQUIRES: `r` outlives the facts.
template <class Report>
[[nodiscard]] IdentificationReportFacts FactsOf(const Report& r) {
  IdentificationReportFacts f;
  f.person = &r.person;
  f.proposal = &r.proposal;
  f.evidence = &r.evidence;
  f.site = r.site ? &*r.site : nullptr;
  f.remains = &r.remains;
  f.remains_sites = &r.remains_sites;
  f.custody = &r.custody;
  f.remains_not_in_register = &r.remains_not_in_register;
  f.same_individual = &r.same_individual;
  return f;
}

// The identification report. Placeholders: the person's and the chain's (above), {proposal},
// {proposal_status}, {remains}, {individual}, {family}, {missing}, {run}, {lr}, {posterior},
// {software}. Inserts: names, person, remains, custody, pedigree, pedigree_key, typed, markers,
// result, assumptions, reassociation, decisions, register.
[[nodiscard]] Result<Document> IdentificationReportDocument(const IdentificationReportFacts& facts,
                                                            const registry::ChainHead& head,
                                                            std::string_view template_text,
                                                            const std::string& source);

[[nodiscard]] Result<Document> FiguresDocument(const registry::Figures& figures,
                                               const registry::ChainHead& head,
                                               std::string_view template_text,
                                               const std::string& source);

}  // namespace whereabouts::io::pdf
