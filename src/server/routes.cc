// The routes of the API: each parses its request strictly, calls one use case of src/app/ and
// shapes the reply (io/registry_json.h). The permission each needs is declared in RouteTable().
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/dna_register.h"
#include "app/documents.h"
#include "app/identification_report.h"
#include "app/identification_review.h"
#include "app/identification_runs.h"
#include "app/incidents.h"
#include "app/persons.h"
#include "app/remains.h"
#include "app/reports.h"
#include "app/sites.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/exchange_files.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/pdf/pdf_document.h"
#include "io/pdf/register_documents.h"
#include "io/registry_json.h"
#include "io/remains_csv.h"
#include "registry/payload.h"
#include "server/server.h"

namespace whereabouts::server {
namespace {

using app::Permission;
using nlohmann::json;

Error Bad(std::string message, std::string field) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

// Refuses any member of `body` not in `allowed`.
Status OnlyFields(const json& body, std::initializer_list<std::string_view> allowed) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      std::string names;
      for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
      return tl::unexpected(
          Bad("unknown field '" + it.key() + "' (allowed: " + names + ")", it.key()));
    }
  }
  return {};
}

Result<std::string> Str(const json& body, const std::string& key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) return tl::unexpected(Bad("is required", key));
    return std::string();
  }
  if (!it->is_string()) return tl::unexpected(Bad("must be a string", key));
  return it->get<std::string>();
}

Result<bool> Bool(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return false;
  if (!it->is_boolean()) return tl::unexpected(Bad("must be true or false", key));
  return it->get<bool>();
}

Result<int64_t> PathId(const Call& c, size_t i, const char* what) {
  const std::string& s = c.path.at(i);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return tl::unexpected(Error{ErrorCode::kNotFound, std::string("no ") + what + " " + s, ""});
  }
  return v;
}

std::string Query(const Call& c, const std::string& key) {
  auto it = c.query.find(key);
  return it == c.query.end() ? "" : it->second;
}

Result<registry::AsOf> AsOfQuery(const Call& c) {
  const std::string s = Query(c, "as_of");
  if (s.empty()) return registry::AsOf{};
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> d, registry::ParseDateField(s, "as_of"));
  return registry::AsOf{d};
}

Result<size_t> LimitQuery(const Call& c, size_t def, size_t max) {
  const std::string s = Query(c, "limit");
  if (s.empty()) return def;
  size_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 1 || v > max) {
    return tl::unexpected(Bad("must be a whole number from 1 to " + std::to_string(max), "limit"));
  }
  return v;
}

app::WriteMeta Meta(const Call& c, std::string reason) {
  return app::WriteMeta{c.who.name, std::move(reason), c.idempotency_key};
}

app::AccessContext Ctx(Call& c) {
  return app::AccessContext{*c.backend.access, *c.backend.store, c.clock};
}

bool Genetic(const Call& c) { return app::Authorize(c.who, Permission::kReadGenetic).has_value(); }

// The person's case when `who` may see it; a restricted case is "not found" for everyone else,
// so that its existence does not leak. Marks the read for the audit when restricted.
Status CheckVisible(Call& c, int64_t person) {
  WB_ASSIGN_OR_RETURN(const std::optional<std::vector<std::string>> r,
                      c.backend.access->Restriction(person));
  if (!r) return {};
  WB_ASSIGN_OR_RETURN(const bool visible, app::CaseVisible(*c.backend.access, c.who, person));
  if (!visible) return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(person));
  c.audit_read = true;
  return {};
}

Result<std::set<int64_t>> HiddenPersons(Call& c) {
  std::set<int64_t> hidden;
  WB_ASSIGN_OR_RETURN(const std::vector<int64_t> restricted, c.backend.access->RestrictedPersons());
  for (int64_t p : restricted) {
    WB_ASSIGN_OR_RETURN(const bool visible, app::CaseVisible(*c.backend.access, c.who, p));
    if (!visible) hidden.insert(p);
  }
  return hidden;
}

Reply Ok(json body, int status = 200) { return Reply{status, std::move(body)}; }

// --- Documents as PDF (src/app/documents.h, app/identification_report.h, src/io/pdf/) ---------

// The template NAME.LANG.txt of the server's templates folder; `lang` from the query ("en"
// default), two or three lower-case letters (no path can be named).
Result<std::pair<std::string, std::string>> DocumentTemplate(const Call& c,
                                                             const std::string& name) {
  std::string lang = Query(c, "lang");
  if (lang.empty()) lang = "en";
  const bool ok =
      (lang.size() == 2 || lang.size() == 3) &&
      std::all_of(lang.begin(), lang.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
  if (!ok) return tl::unexpected(Bad("must be a language code of 2 or 3 letters (en, fr)", "lang"));
  const std::string file = name + "." + lang + ".txt";
  auto text = io::ReadTextFile((std::filesystem::path(c.options.templates) / file).string());
  if (!text) return MakeError(ErrorCode::kNotFound, "no template " + file, "lang");
  return std::make_pair(std::move(*text), file);
}

// The rendered document as the reply; every document issued is audited (which document, of
// which record).
Result<Reply> PdfReply(Call& c, const Result<io::pdf::Document>& doc, const std::string& records) {
  if (!doc) return tl::unexpected(doc.error());
  WB_ASSIGN_OR_RETURN(std::string bytes, io::pdf::RenderPdf(*doc));
  c.records = records;
  c.audit_read = true;
  Reply r;
  r.content_type = "application/pdf";
  r.bytes = std::move(bytes);
  return r;
}

Result<Reply> AbsenceCertificateRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  WB_ASSIGN_OR_RETURN(const auto t, DocumentTemplate(c, "certificate-absence"));
  WB_ASSIGN_OR_RETURN(const app::AbsenceCertificate cert,
                      app::PrepareAbsenceCertificate(*c.backend.registry, *c.backend.store,
                                                     registry::PersonId{id}));
  return PdfReply(
      c, io::pdf::AbsenceCertificateDocument(cert.person, cert.basis.head, t.first, t.second),
      "person " + std::to_string(id) + " certificate of absence");
}

Result<Reply> DeathCertificateRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  WB_ASSIGN_OR_RETURN(const auto t, DocumentTemplate(c, "certificate-death"));
  WB_ASSIGN_OR_RETURN(
      const app::DeathCertificate cert,
      app::PrepareDeathCertificate(*c.backend.registry, *c.backend.store, registry::PersonId{id}));
  const registry::IdentificationProposal* ident =
      cert.identification ? &*cert.identification : nullptr;
  return PdfReply(
      c, io::pdf::DeathCertificateDocument(cert.person, ident, cert.basis.head, t.first, t.second),
      "person " + std::to_string(id) + " certificate of death");
}

// The person a proposal concerns, for the restricted-case check (404 for an unknown proposal).
Result<int64_t> PersonOfProposal(Call& c, int64_t proposal) {
  WB_ASSIGN_OR_RETURN(const registry::Proposals all,
                      c.backend.registry->LoadProposals(std::nullopt));
  auto it = all.find(proposal);
  if (it == all.end()) {
    return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(proposal));
  }
  return it->second.person.value;
}

Result<Reply> LetterRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "proposal"));
  WB_ASSIGN_OR_RETURN(const int64_t person, PersonOfProposal(c, id));
  WB_RETURN_IF_ERROR(CheckVisible(c, person));
  WB_ASSIGN_OR_RETURN(const auto t, DocumentTemplate(c, "notification-letter"));
  WB_ASSIGN_OR_RETURN(const app::NotificationLetter l,
                      app::PrepareNotificationLetter(*c.backend.registry, *c.backend.store, id));
  return PdfReply(c,
                  io::pdf::NotificationLetterDocument(l.person, l.identification, l.basis.head,
                                                      t.first, t.second),
                  "proposal " + std::to_string(id) + " notification letter");
}

Result<Reply> IdentificationReportRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "proposal"));
  WB_ASSIGN_OR_RETURN(const int64_t person, PersonOfProposal(c, id));
  WB_RETURN_IF_ERROR(CheckVisible(c, person));
  WB_ASSIGN_OR_RETURN(const auto t, DocumentTemplate(c, "identification-report"));
  WB_ASSIGN_OR_RETURN(const app::IdentificationReport r,
                      app::PrepareIdentificationReport(*c.backend.registry, *c.backend.store, id));
  return PdfReply(
      c,
      io::pdf::IdentificationReportDocument(io::pdf::FactsOf(r), r.basis.head, t.first, t.second),
      "proposal " + std::to_string(id) + " identification report");
}

Result<Reply> FiguresReportRoute(Call& c) {
  app::FiguresRequest r;
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const auto t, DocumentTemplate(c, "figures"));
  WB_ASSIGN_OR_RETURN(const app::FiguresReport rep, app::ComputeFigures(*c.backend.registry, r));
  WB_ASSIGN_OR_RETURN(
      Reply reply, PdfReply(c, io::pdf::FiguresDocument(rep.figures, rep.head, t.first, t.second),
                            "figures report"));
  c.audit_read = false;  // aggregate figures: a plain read, as GET /api/v1/figures
  return reply;
}

// Keys of event payloads that are genetic evidence: shown to DNA analysts only.
bool IsGeneticKey(const std::string& k) {
  static const std::set<std::string> kKeys = {"lr",      "posterior",  "candidates",
                                              "run",     "individual", "family",
                                              "missing", "profile",    "evidence"};
  return kKeys.count(k) > 0;
}

// ------------------------------------------------------------------------------------------
// Sessions.

Result<Reply> Health(Call& c) {
  // The register must answer a read; how much it holds is not told to anyone without a session.
  WB_ASSIGN_OR_RETURN(const registry::ChainHead head, c.backend.store->Head(std::nullopt));
  (void)head;
  return Ok({{"status", "ok"}, {"version", WHEREABOUTS_VERSION}, {"register", "ok"}});
}

std::string SessionCookie(const std::string& value, int64_t max_age) {
  return std::string("__Host-wb_session=") + value + "; Path=/; HttpOnly; Secure; SameSite=Strict" +
         "; Max-Age=" + std::to_string(max_age);
}

json PrincipalJson(const app::Principal& p) {
  json perms = json::array();
  for (size_t i = 0; i < app::kPermissionCount; ++i) {
    const auto perm = static_cast<Permission>(i);
    if (app::Authorize(p, perm)) perms.push_back(app::Name(perm));
  }
  return {{"username", p.name}, {"role", app::Name(p.role)}, {"permissions", perms}};
}

Result<Reply> Login(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"username", "password"}));
  WB_ASSIGN_OR_RETURN(std::string name, Str(c.body, "username", true));
  WB_ASSIGN_OR_RETURN(std::string password, Str(c.body, "password", true));
  app::LoginRequest r{std::move(name), std::move(password), c.address, c.session_id};
  WB_ASSIGN_OR_RETURN(const app::NewSession s, app::Login(Ctx(c), c.options.session, r));
  c.headers.emplace_back("Set-Cookie",
                         SessionCookie(s.session_id, c.options.session.absolute_seconds));
  json j = PrincipalJson(s.principal);
  j["csrf_token"] = s.csrf_token;
  j["expires_at"] = s.expires_at;
  return Ok(j, 201);
}

Result<Reply> WhoAmI(Call& c) {
  json j = PrincipalJson(c.who);
  if (!c.session_id.empty()) {
    j["csrf_token"] = app::CsrfTokenFor(c.session_id);
  }
  return Ok(j);
}

Result<Reply> LogoutRoute(Call& c) {
  WB_RETURN_IF_ERROR(app::Logout(Ctx(c), {c.who.name, c.address}, c.session_id));
  c.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
  return Reply{204, json()};
}

Result<Reply> ChangePassword(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"current_password", "new_password"}));
  WB_ASSIGN_OR_RETURN(std::string current, Str(c.body, "current_password", true));
  WB_ASSIGN_OR_RETURN(std::string next, Str(c.body, "new_password", true));
  // The current password is checked as a sign-in would (failures count towards the lockout).
  app::LoginRequest check{c.who.name, current, c.address, ""};
  WB_ASSIGN_OR_RETURN(const app::NewSession probe, app::Login(Ctx(c), c.options.session, check));
  WB_RETURN_IF_ERROR(app::Logout(Ctx(c), {c.who.name, c.address}, probe.session_id));
  WB_RETURN_IF_ERROR(app::SetPassword(Ctx(c), {c.who.name, c.address}, c.who.name, next));
  c.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
  return Reply{204, json()};
}

// ------------------------------------------------------------------------------------------
// Persons.

Result<Reply> SearchPersons(Call& c) {
  app::SearchPersonsRequest r;
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  r.name = Query(c, "q");
  if (const std::string s = Query(c, "status"); !s.empty()) {
    auto st = registry::ParseCaseStatus(s);
    if (!st) return tl::unexpected(WithContext(st.error(), "status"));
    r.status = *st;
  }
  WB_ASSIGN_OR_RETURN(r.limit, LimitQuery(c, 50, 1000));
  if (const std::string s = Query(c, "cursor"); !s.empty()) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), r.after);
    if (ec != std::errc() || p != s.data() + s.size() || r.after < 0) {
      return tl::unexpected(Bad("not a cursor of this list", "cursor"));
    }
  }
  WB_ASSIGN_OR_RETURN(const registry::PersonPage page, app::SearchPersons(*c.backend.registry, r));
  WB_ASSIGN_OR_RETURN(const std::set<int64_t> hidden, HiddenPersons(c));
  json persons = json::array();
  for (const auto& p : page.persons) {
    if (hidden.count(p.id.value) == 0) persons.push_back(io::PersonSummaryJson(p));
  }
  return Ok({{"persons", persons},
             {"next_cursor", page.next_after ? json(std::to_string(page.next_after)) : json()}});
}

// The fields of a registration, as JSON members.
Result<app::PersonDetails> DetailsOf(const json& body) {
  app::PersonDetails d;
  WB_ASSIGN_OR_RETURN(d.family_name, Str(body, "family_name", true));
  WB_ASSIGN_OR_RETURN(d.given_name, Str(body, "given_name", true));
  WB_ASSIGN_OR_RETURN(d.father_name, Str(body, "father_name", false));
  if (auto it = body.find("other_names"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) return tl::unexpected(Bad("must be a list of strings", "other_names"));
    for (const auto& n : *it) {
      if (!n.is_string()) return tl::unexpected(Bad("must be a list of strings", "other_names"));
      d.other_names.push_back(n.get<std::string>());
    }
  }
  WB_ASSIGN_OR_RETURN(const std::string sex, Str(body, "sex", false));
  if (!sex.empty()) {
    auto s = registry::ParseSex(sex);
    if (!s) return tl::unexpected(WithContext(s.error(), "sex"));
    d.sex = *s;
  }
  WB_ASSIGN_OR_RETURN(const std::string born, Str(body, "birth_date", false));
  WB_ASSIGN_OR_RETURN(d.birth_date, registry::ParseDateField(born, "birth_date"));
  for (const char* key : {"birth_year_min", "birth_year_max"}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_number_integer()) return tl::unexpected(Bad("must be a whole number", key));
    (std::string_view(key) == "birth_year_min" ? d.birth_year_min : d.birth_year_max) =
        it->get<int>();
  }
  WB_ASSIGN_OR_RETURN(const std::string aff, Str(body, "affiliation", false));
  if (!aff.empty()) {
    auto a = registry::ParseAffiliation(aff);
    if (!a) return tl::unexpected(WithContext(a.error(), "affiliation"));
    d.affiliation = *a;
  }
  WB_ASSIGN_OR_RETURN(d.unit, Str(body, "unit", false));
  WB_ASSIGN_OR_RETURN(const std::string gone, Str(body, "disappearance_date", false));
  WB_ASSIGN_OR_RETURN(d.disappearance_date, registry::ParseDateField(gone, "disappearance_date"));
  WB_ASSIGN_OR_RETURN(d.disappearance_place, Str(body, "disappearance_place", false));
  WB_ASSIGN_OR_RETURN(d.circumstances, Str(body, "circumstances", false));
  // The ICRC's minimum data: an object of strings (identity_documents a list of strings).
  if (auto it = body.find("icrc"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return tl::unexpected(Bad("must be an object", "icrc"));
    registry::Fields f;
    for (auto k = it->begin(); k != it->end(); ++k) {
      const auto& keys = registry::IcrcKeys();
      if (std::find(keys.begin(), keys.end(), k.key()) == keys.end()) {
        return tl::unexpected(Bad("is not a field of the ICRC's minimum data", "icrc." + k.key()));
      }
      if (k.key() == "identity_documents") {
        if (!k->is_array())
          return tl::unexpected(Bad("must be a list of strings", "icrc." + k.key()));
        for (const auto& doc : *k) {
          if (!doc.is_string()) {
            return tl::unexpected(Bad("must be a list of strings", "icrc." + k.key()));
          }
          d.icrc.identity_documents.push_back(doc.get<std::string>());
        }
        continue;
      }
      if (!k->is_string()) return tl::unexpected(Bad("must be a string", "icrc." + k.key()));
      f[k.key()] = k->get<std::string>();
    }
    auto s = registry::ApplyIcrcFields(d.icrc, f);
    if (!s) return tl::unexpected(WithContext(s.error(), "icrc"));
  }
  return d;
}

Result<Reply> CreatePerson(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(
      c.body, {"family_name", "given_name", "father_name", "other_names", "sex", "birth_date",
               "birth_year_min", "birth_year_max", "affiliation", "unit", "disappearance_date",
               "disappearance_place", "circumstances", "icrc", "reason"}));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  WB_ASSIGN_OR_RETURN(app::PersonDetails d, DetailsOf(c.body));
  WB_ASSIGN_OR_RETURN(const app::Recorded rec,
                      app::RegisterPerson(*c.backend.registry, {Meta(c, reason), std::move(d)}));
  c.records = "person " + std::to_string(rec.id);
  c.headers.emplace_back("Location", "/api/v1/persons/" + std::to_string(rec.id));
  return Ok({{"id", rec.id}, {"version", rec.seq}}, 201);
}

Result<Reply> GetPersonRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  app::GetPersonRequest r{registry::PersonId{id}, {}, false};
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const app::PersonView v, app::GetPerson(*c.backend.store, r));
  c.records = "person " + std::to_string(id);
  c.headers.emplace_back("ETag", "\"" + std::to_string(v.version) + "\"");
  json j = io::PersonJson(v.person, registry::AgeLimits{});
  j["icrc"] = io::IcrcJson(v.person.icrc);
  return Ok(j);
}

// "\"12\"", "W/\"12\"" or "12" -> 12.
Result<int64_t> VersionOf(const std::string& if_match) {
  std::string_view s = if_match;
  if (s.rfind("W/", 0) == 0) s.remove_prefix(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return tl::unexpected(Bad("must be the version (ETag) the edit is based on", "If-Match"));
  }
  return v;
}

// The keys of a correction (the registration's fields).
constexpr std::string_view kCorrectable[] = {
    "family_name", "given_name", "father_name", "other_names", "sex", "birth_date",
    "birth_year_min", "birth_year_max", "affiliation", "unit", "disappearance_date",
    "disappearance_place", "circumstances",
    // the ICRC's minimum data (identity_documents '|'-separated, as in the event)
    "birth_place", "identity_documents", "informant_name", "informant_relation",
    "informant_contact", "family_contact", "last_seen_date", "last_seen_place", "last_seen_by",
    "physical_description"};

Result<registry::Fields> FieldsOf(const json& fields, const std::string& where) {
  if (!fields.is_object()) return tl::unexpected(Bad("must be an object", where));
  registry::Fields out;
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    const std::string field = where + "." + it.key();
    if (it->is_string()) {
      out[it.key()] = it->get<std::string>();
    } else if (it->is_number_integer()) {
      out[it.key()] = std::to_string(it->get<int64_t>());
    } else if (it->is_array() && (it.key() == "other_names" || it.key() == "identity_documents")) {
      std::string joined;
      for (const auto& n : *it) {
        if (!n.is_string()) return tl::unexpected(Bad("must be a list of strings", field));
        joined += (joined.empty() ? "" : "|") + n.get<std::string>();
      }
      out[it.key()] = joined;
    } else {
      return tl::unexpected(Bad("must be a string", field));
    }
  }
  return out;
}

Result<Reply> PatchPerson(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  c.records = "person " + std::to_string(id);
  if (c.if_match.empty()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "an edit must carry If-Match with the version it is based on (the ETag of "
                     "GET /api/v1/persons/" +
                         std::to_string(id) + ")",
                     "If-Match");
  }
  WB_ASSIGN_OR_RETURN(const int64_t version, VersionOf(c.if_match));
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"fields", "reason"}));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", true));
  auto f = c.body.find("fields");
  if (f == c.body.end()) return tl::unexpected(Bad("is required", "fields"));
  for (auto it = f->begin(); f->is_object() && it != f->end(); ++it) {
    if (std::find(std::begin(kCorrectable), std::end(kCorrectable), it.key()) ==
        std::end(kCorrectable)) {
      return tl::unexpected(Bad("is not a field of a person's registration", "fields." + it.key()));
    }
  }
  WB_ASSIGN_OR_RETURN(registry::Fields fields, FieldsOf(*f, "fields"));
  if (fields.empty()) return tl::unexpected(Bad("names no field to correct", "fields"));
  app::UpdatePersonRequest r{Meta(c, reason), registry::PersonId{id}, "corrected",
                             std::move(fields), version};
  WB_ASSIGN_OR_RETURN(const app::UpdatedPerson u, app::UpdatePerson(*c.backend.registry, r));
  c.headers.emplace_back("ETag", "\"" + std::to_string(u.seq) + "\"");
  return Ok({{"id", id}, {"type", u.type}, {"version", u.seq}});
}

// An event of the person's case other than a correction or a decision on an identification.
Result<Reply> PersonEvent(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  c.records = "person " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"change", "fields", "reason"}));
  WB_ASSIGN_OR_RETURN(std::string change, Str(c.body, "change", true));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", true));
  static const std::set<std::string> kElsewhere = {"corrected",
                                                   "registered",
                                                   "merged_into",
                                                   "identified",
                                                   "identification_proposed",
                                                   "identification_rejected",
                                                   "identification_signed_off",
                                                   "family_notified"};
  if (kElsewhere.count(change) > 0) {
    return tl::unexpected(Bad("'" + change +
                                  "' has its own route (PATCH the person, the identification "
                                  "routes, or POST .../notification)",
                              "change"));
  }
  registry::Fields fields;
  if (auto f = c.body.find("fields"); f != c.body.end()) {
    WB_ASSIGN_OR_RETURN(fields, FieldsOf(*f, "fields"));
  }
  std::optional<int64_t> version;
  if (!c.if_match.empty()) {
    WB_ASSIGN_OR_RETURN(version, VersionOf(c.if_match));
  }
  app::UpdatePersonRequest r{Meta(c, reason), registry::PersonId{id}, change, std::move(fields),
                             version};
  WB_ASSIGN_OR_RETURN(const app::UpdatedPerson u, app::UpdatePerson(*c.backend.registry, r));
  return Ok({{"id", id}, {"type", u.type}, {"version", u.seq}}, 201);
}

Result<Reply> NotifyFamily(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  c.records = "person " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"date", "reason"}));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", true));
  WB_ASSIGN_OR_RETURN(std::string date, Str(c.body, "date", true));
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> d,
                      registry::ParseDateField(date, "date"));
  if (!d) return tl::unexpected(Bad("is required (YYYY-MM-DD)", "date"));
  app::UpdatePersonRequest r{Meta(c, reason),
                             registry::PersonId{id},
                             "family_notified",
                             {{"date", d->ToString()}},
                             std::nullopt};
  WB_ASSIGN_OR_RETURN(const app::UpdatedPerson u, app::UpdatePerson(*c.backend.registry, r));
  return Ok({{"id", id}, {"type", u.type}, {"version", u.seq}}, 201);
}

Result<Reply> PersonHistory(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  app::GetPersonRequest r{registry::PersonId{id}, {}, true};
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const app::PersonView v, app::GetPerson(*c.backend.store, r));
  const bool genetic = Genetic(c);
  json events = json::array();
  for (const auto& e : v.history) {
    json j = io::EventJson(e);
    if (!genetic) {
      for (auto it = e.payload.begin(); it != e.payload.end(); ++it) {
        if (IsGeneticKey(it->first)) j["payload"].erase(it->first);
      }
    }
    events.push_back(std::move(j));
  }
  c.records = "person " + std::to_string(id);
  return Ok({{"person", id}, {"version", v.version}, {"events", events}});
}

Result<Reply> PersonRelatives(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  WB_ASSIGN_OR_RETURN(const auto relatives,
                      app::ListRelatives(*c.backend.registry, registry::PersonId{id}));
  json out = json::array();
  for (const auto& r : relatives) {
    out.push_back({{"id", r.id},
                   {"person", r.person_id},
                   {"name", r.name},
                   {"relationship", r.relationship},
                   {"sample", r.sample},
                   {"consent", r.consent}});
  }
  c.records = "person " + std::to_string(id);
  return Ok({{"person", id}, {"relatives", out}});
}

Result<Reply> AddRelativeRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  c.records = "person " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"name", "relationship", "sample", "consent", "reason"}));
  app::AddRelativeRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  r.meta = Meta(c, reason);
  r.person = registry::PersonId{id};
  WB_ASSIGN_OR_RETURN(r.name, Str(c.body, "name", true));
  WB_ASSIGN_OR_RETURN(r.relationship, Str(c.body, "relationship", true));
  WB_ASSIGN_OR_RETURN(r.sample, Str(c.body, "sample", false));
  WB_ASSIGN_OR_RETURN(const std::string consent, Str(c.body, "consent", false));
  if (!consent.empty()) {
    WB_ASSIGN_OR_RETURN(r.consent, app::ParseConsent(consent));
  }
  WB_ASSIGN_OR_RETURN(const app::Recorded rec, app::AddRelative(*c.backend.registry, r));
  c.records += ",relative " + std::to_string(rec.id);
  return Ok({{"id", rec.id}, {"person", id}}, 201);
}

Result<Reply> ConsentRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "relative"));
  c.records = "relative " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"consent", "reason"}));
  app::ChangeConsentRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", true));
  r.meta = Meta(c, reason);
  r.relative = id;
  WB_ASSIGN_OR_RETURN(const std::string consent, Str(c.body, "consent", true));
  WB_ASSIGN_OR_RETURN(r.consent, app::ParseConsent(consent));
  WB_ASSIGN_OR_RETURN(const app::Recorded rec, app::ChangeConsent(*c.backend.registry, r));
  return Ok({{"id", id}, {"consent", consent}, {"version", rec.seq}});
}

// The references of a person's family for a use: those whose consent allows it, and those
// withheld with the reason.
Result<Reply> PersonReferences(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  WB_RETURN_IF_ERROR(CheckVisible(c, id));
  const std::string purpose_text =
      Query(c, "purpose").empty() ? "identification" : Query(c, "purpose");
  app::ReferencePurpose purpose = app::ReferencePurpose::kIdentification;
  if (purpose_text == "court") {
    purpose = app::ReferencePurpose::kCourt;
  } else if (purpose_text != "identification") {
    return tl::unexpected(Bad("must be identification or court", "purpose"));
  }
  WB_ASSIGN_OR_RETURN(const auto relatives,
                      app::ListRelatives(*c.backend.registry, registry::PersonId{id}));
  json usable = json::array(), withheld = json::array();
  for (const auto& r : relatives) {
    if (r.sample.empty()) continue;
    json j = {{"relative", r.id},
              {"relationship", r.relationship},
              {"sample", r.sample},
              {"consent", r.consent}};
    if (app::ConsentAllows(r.consent, purpose)) {
      usable.push_back(std::move(j));
    } else {
      j["reason"] = r.consent == "none" ? "no consent (never given or withdrawn)"
                                        : "consent for identification only, not for court use";
      withheld.push_back(std::move(j));
    }
  }
  c.records = "person " + std::to_string(id) + " references";
  c.audit_read = true;
  return Ok(
      {{"person", id}, {"purpose", purpose_text}, {"references", usable}, {"withheld", withheld}});
}

Result<Reply> RestrictRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "person"));
  c.records = "person " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"staff"}));
  std::vector<std::string> staff;
  auto it = c.body.find("staff");
  if (it == c.body.end() || !it->is_array()) {
    return tl::unexpected(
        Bad("must be a list of account names ([] lifts the restriction)", "staff"));
  }
  for (const auto& s : *it) {
    if (!s.is_string()) return tl::unexpected(Bad("must be a list of account names", "staff"));
    staff.push_back(s.get<std::string>());
  }
  WB_RETURN_IF_ERROR(app::RestrictCase(Ctx(c), {c.who.name, c.address}, id, staff));
  return Ok({{"person", id}, {"staff", staff}, {"restricted", !staff.empty()}});
}

// ------------------------------------------------------------------------------------------
// Figures, sites, hazards, remains.

// Figures as of a date are a function of the register's history: the same chain head and date
// give the same figures, so the last few are kept (a dashboard asks for them again and again).
struct FiguresCache {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, json> entries;  // (as_of, head hash) -> figures
};
FiguresCache& Cache() {
  static FiguresCache cache;
  return cache;
}

Result<Reply> Figures(Call& c) {
  app::FiguresRequest r;
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const registry::ChainHead now, c.backend.store->Head(std::nullopt));
  const auto key = std::make_pair(r.as_of ? r.as_of->ToString() : std::string(), now.hash);
  {
    std::lock_guard<std::mutex> lock(Cache().mu);
    auto it = Cache().entries.find(key);
    if (it != Cache().entries.end()) return Ok(it->second);
  }
  WB_ASSIGN_OR_RETURN(const app::FiguresReport rep, app::ComputeFigures(*c.backend.registry, r));
  json j = io::FiguresJson(rep.figures, rep.head);
  WB_ASSIGN_OR_RETURN(const registry::ChainHead after, c.backend.store->Head(std::nullopt));
  if (after.hash == now.hash) {  // nothing was written while they were computed
    std::lock_guard<std::mutex> lock(Cache().mu);
    if (Cache().entries.size() >= 32) Cache().entries.clear();
    Cache().entries[key] = j;
  }
  return Ok(std::move(j));
}

Result<Reply> FigureCell(Call& c) {
  app::CellRequest r;
  WB_ASSIGN_OR_RETURN(r.as_of, AsOfQuery(c));
  r.cell = c.path.at(0);
  WB_ASSIGN_OR_RETURN(const app::CellRecords cell,
                      app::RecordsBehindCell(*c.backend.registry, *c.backend.store, r));
  WB_ASSIGN_OR_RETURN(const std::set<int64_t> hidden, HiddenPersons(c));
  json persons = json::array(), remains = json::array();
  int64_t withheld = 0;
  for (const auto& p : cell.persons) {
    if (hidden.count(p.id.value) > 0) {
      ++withheld;
    } else {
      persons.push_back(io::PersonSummaryJson(p));
    }
  }
  for (const auto& x : cell.remains) {
    remains.push_back({{"id", x.id}, {"label", x.label}, {"site", x.site_id}});
  }
  return Ok({{"cell", cell.row.key},
             {"label", cell.row.label},
             {"value", cell.row.value},
             {"entity", cell.row.entity},
             {"computed_from", {{"seq", cell.head.seq}, {"hash", cell.head.hash}}},
             {"persons", persons},
             {"remains", remains},
             {"restricted_not_shown", withheld}});
}

Result<Reply> Incidents(Call& c) {
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const app::IncidentList list, app::ListIncidents(*c.backend.registry, as_of));
  WB_ASSIGN_OR_RETURN(const std::set<int64_t> hidden, HiddenPersons(c));
  json incidents = json::array(), sources = json::array();
  for (const auto& [id, i] : list.incidents) {
    json persons = json::array();
    for (int64_t p : i.persons) {
      if (hidden.count(p) == 0) persons.push_back(p);
    }
    incidents.push_back({{"id", id},
                         {"date", i.date ? i.date->ToString() : ""},
                         {"place", i.place},
                         {"description", i.description},
                         {"counts", i.counts},
                         {"persons", persons},
                         {"sources", i.sources}});
  }
  for (const auto& [id, s] : list.sources) {
    sources.push_back({{"id", id},
                       {"symbol", s.symbol},
                       {"title", s.title},
                       {"date", s.date ? s.date->ToString() : ""},
                       {"url", s.url},
                       {"sha256", s.sha256}});
  }
  return Ok({{"incidents", incidents}, {"sources", sources}});
}

Result<Reply> Sites(Call& c) {
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const app::SiteList list, app::ListSites(*c.backend.registry, as_of, 500.0));
  json sites = json::array();
  for (const auto& [id, s] : list.sites) {
    json j = io::SiteJson(s);
    json flags = json::array();
    for (const auto& f : list.flags) {
      if (f.site_id != id) continue;
      flags.push_back({{"hazard", f.hazard_id},
                       {"hazard_status", registry::Name(f.status)},
                       {"inside", f.inside},
                       {"distance_m", f.distance_m}});
    }
    j["hazards"] = flags;
    sites.push_back(std::move(j));
  }
  return Ok({{"sites", sites}, {"near_m", 500.0}});
}

Result<Reply> Hazards(Call& c) {
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const auto hazards, app::ListHazards(*c.backend.registry, as_of));
  Reply r = Ok(io::HazardsGeoJson(hazards));
  r.content_type = "application/geo+json";
  return r;
}

Result<double> Number(const json& body, const std::string& key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return tl::unexpected(Bad("is required", key));
  if (!it->is_number()) return tl::unexpected(Bad("must be a number", key));
  return it->get<double>();
}

json FlagsJson(const std::vector<registry::SiteHazardFlag>& flags) {
  json out = json::array();
  for (const auto& f : flags) {
    out.push_back({{"hazard", f.hazard_id},
                   {"hazard_status", registry::Name(f.status)},
                   {"inside", f.inside},
                   {"distance_m", f.distance_m}});
  }
  return out;
}

Result<Reply> CreateSite(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"name", "site_kind", "lon", "lat", "village", "district",
                                         "discovered_on", "findings", "reason"}));
  app::AddSiteRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  r.meta = Meta(c, reason);
  WB_ASSIGN_OR_RETURN(r.name, Str(c.body, "name", true));
  WB_ASSIGN_OR_RETURN(const std::string kind, Str(c.body, "site_kind", false));
  if (!kind.empty()) r.site_kind = kind;
  WB_ASSIGN_OR_RETURN(r.location.lon, Number(c.body, "lon"));
  WB_ASSIGN_OR_RETURN(r.location.lat, Number(c.body, "lat"));
  WB_ASSIGN_OR_RETURN(r.village, Str(c.body, "village", false));
  WB_ASSIGN_OR_RETURN(r.district, Str(c.body, "district", false));
  WB_ASSIGN_OR_RETURN(const std::string found, Str(c.body, "discovered_on", false));
  WB_ASSIGN_OR_RETURN(r.discovered_on, registry::ParseDateField(found, "discovered_on"));
  WB_ASSIGN_OR_RETURN(r.findings, Str(c.body, "findings", false));
  WB_ASSIGN_OR_RETURN(const app::AddSiteResult res, app::AddSite(*c.backend.registry, r));
  c.records = "site " + std::to_string(res.id);
  c.headers.emplace_back("Location", "/api/v1/sites/" + std::to_string(res.id));
  return Ok({{"id", res.id}, {"seq", res.seq}, {"hazards", FlagsJson(res.flags)}}, 201);
}

Result<Reply> Excavate(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "site"));
  c.records = "site " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"date", "team", "findings", "reason"}));
  app::ExcavateSiteRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  r.meta = Meta(c, reason);
  r.site = id;
  WB_ASSIGN_OR_RETURN(const std::string date, Str(c.body, "date", true));
  WB_ASSIGN_OR_RETURN(const std::optional<registry::Date> d,
                      registry::ParseDateField(date, "date"));
  if (!d) return tl::unexpected(Bad("is required (YYYY-MM-DD)", "date"));
  r.date = *d;
  WB_ASSIGN_OR_RETURN(r.team, Str(c.body, "team", false));
  WB_ASSIGN_OR_RETURN(r.findings, Str(c.body, "findings", false));
  WB_ASSIGN_OR_RETURN(const registry::Event e, app::ExcavateSite(*c.backend.registry, r));
  return Ok({{"site", id}, {"seq", e.seq}}, 201);
}

json RemainsSummaryJson(const registry::Remains& r) {
  return {{"id", r.id},
          {"label", r.label},
          {"remains_kind", r.remains_kind},
          {"site", r.site_id},
          {"recovered_on", r.recovered_on ? r.recovered_on->ToString() : ""},
          {"commingled", r.commingled},
          {"holder", r.holder},
          {"samples", r.samples}};
}

Result<Reply> ListRemainsRoute(Call& c) {
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, AsOfQuery(c));
  WB_ASSIGN_OR_RETURN(const auto all, app::ListRemains(*c.backend.registry, as_of));
  json out = json::array();
  for (const auto& [id, r] : all) out.push_back(RemainsSummaryJson(r));
  return Ok({{"remains", out}});
}

Result<Reply> CreateRemains(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(
      c.body, {"label", "remains_kind", "site", "recovered_on", "holder", "commingled", "reason"}));
  app::AddRemainsRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  r.meta = Meta(c, reason);
  WB_ASSIGN_OR_RETURN(r.label, Str(c.body, "label", true));
  WB_ASSIGN_OR_RETURN(const std::string kind, Str(c.body, "remains_kind", false));
  if (!kind.empty()) r.remains_kind = kind;
  if (auto it = c.body.find("site"); it != c.body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0) {
      return tl::unexpected(Bad("must be a site id", "site"));
    }
    r.site = it->get<int64_t>();
  }
  WB_ASSIGN_OR_RETURN(const std::string on, Str(c.body, "recovered_on", false));
  WB_ASSIGN_OR_RETURN(r.recovered_on, registry::ParseDateField(on, "recovered_on"));
  WB_ASSIGN_OR_RETURN(r.holder, Str(c.body, "holder", true));
  WB_ASSIGN_OR_RETURN(r.commingled, Bool(c.body, "commingled"));
  WB_ASSIGN_OR_RETURN(const registry::Event e, app::AddRemains(*c.backend.registry, r));
  c.records = "remains " + std::to_string(e.entity_id);
  c.headers.emplace_back("Location", "/api/v1/remains/" + std::to_string(e.entity_id));
  return Ok({{"id", e.entity_id}, {"seq", e.seq}}, 201);
}

std::string_view StepKind(app::CustodyStep::Kind k) {
  switch (k) {
    case app::CustodyStep::Kind::kRecovered:
      return "recovered";
    case app::CustodyStep::Kind::kTransferred:
      return "transferred";
    case app::CustodyStep::Kind::kSampled:
      return "sampled";
  }
  return "?";
}

Result<Reply> GetRemains(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "remains"));
  WB_ASSIGN_OR_RETURN(const registry::Remains r, app::ShowRemains(*c.backend.registry, id, {}));
  WB_ASSIGN_OR_RETURN(const auto steps, app::CustodyHistory(*c.backend.store, id));
  json custody = json::array();
  for (const auto& s : steps) {
    json j = {{"kind", StepKind(s.kind)}, {"date", s.date}, {"recorded_by", s.recorded_by}};
    if (s.kind == app::CustodyStep::Kind::kRecovered) j["holder"] = s.holder;
    if (s.kind == app::CustodyStep::Kind::kTransferred) {
      j["from"] = s.from;
      j["to"] = s.to;
    }
    if (s.kind == app::CustodyStep::Kind::kSampled) j["sample"] = s.sample;
    custody.push_back(std::move(j));
  }
  json j = {{"id", r.id},
            {"label", r.label},
            {"remains_kind", r.remains_kind},
            {"site", r.site_id},
            {"recovered_on", r.recovered_on ? r.recovered_on->ToString() : ""},
            {"commingled", r.commingled},
            {"holder", r.holder},
            {"samples", r.samples},
            {"custody", custody}};
  c.records = "remains " + std::to_string(id);
  if (Genetic(c)) {
    json profiles = json::object();
    for (const auto& [sample, p] : r.profiles) profiles[sample] = p.profile;
    j["profiles"] = profiles;
    c.audit_read = !r.profiles.empty();
  }
  return Ok(j);
}

Result<Reply> Custody(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "remains"));
  c.records = "remains " + std::to_string(id);
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"from", "to", "date", "reason"}));
  app::TransferCustodyRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  r.meta = Meta(c, reason);
  r.remains = id;
  WB_ASSIGN_OR_RETURN(r.from, Str(c.body, "from", true));
  WB_ASSIGN_OR_RETURN(r.to, Str(c.body, "to", true));
  WB_ASSIGN_OR_RETURN(const std::string date, Str(c.body, "date", false));
  WB_ASSIGN_OR_RETURN(r.date, registry::ParseDateField(date, "date"));
  WB_ASSIGN_OR_RETURN(const registry::Event e,
                      app::TransferCustody(*c.backend.registry, *c.backend.clock, r));
  return Ok({{"remains", id}, {"seq", e.seq}, {"holder", r.to}}, 201);
}

// ------------------------------------------------------------------------------------------
// Identifications.

Result<Reply> ListIdentifications(Call& c) {
  app::ListProposalsRequest r;
  if (const std::string s = Query(c, "status"); s == "awaiting_sign_off") {
    r.awaiting_sign_off = true;
  } else if (!s.empty()) {
    auto st = registry::ParseProposalStatus(s);
    if (!st) {
      return tl::unexpected(
          Bad("must be proposed, confirmed, rejected, revoked or awaiting_sign_off", "status"));
    }
    r.status = *st;
  }
  WB_ASSIGN_OR_RETURN(const auto proposals, app::ListProposals(*c.backend.registry, r));
  WB_ASSIGN_OR_RETURN(const std::set<int64_t> hidden, HiddenPersons(c));
  const bool genetic = Genetic(c);
  json out = json::array();
  for (const auto& p : proposals) {
    if (hidden.count(p.person.value) == 0) out.push_back(io::ProposalJson(p, genetic));
  }
  if (genetic && !out.empty()) {
    c.audit_read = true;
    c.records = "proposals (" + std::to_string(out.size()) + ")";
  }
  return Ok({{"identifications", out}});
}

Result<app::DecideIdentificationRequest> Decision(Call& c, bool with_ambiguity) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "proposal"));
  c.records = "proposal " + std::to_string(id);
  if (with_ambiguity) {
    WB_RETURN_IF_ERROR(OnlyFields(c.body, {"reason", "ambiguity_resolved"}));
  } else {
    WB_RETURN_IF_ERROR(OnlyFields(c.body, {"reason"}));
  }
  app::DecideIdentificationRequest r;
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", true));
  // Every decision (confirm, reject, sign off, revoke) states why: an empty reason is missing.
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return tl::unexpected(Bad("is required", "reason"));
  }
  r.meta = Meta(c, reason);
  r.proposal = id;
  WB_ASSIGN_OR_RETURN(r.ambiguity_resolved, Bool(c.body, "ambiguity_resolved"));
  // The proposal's person must be visible to the decider.
  WB_ASSIGN_OR_RETURN(const auto p, app::FindProposal(*c.backend.registry, id));
  if (!p) return MakeError(ErrorCode::kNotFound, "no proposal " + std::to_string(id));
  WB_RETURN_IF_ERROR(CheckVisible(c, p->person.value));
  c.records += ",person " + std::to_string(p->person.value);
  return r;
}

json DecisionJson(const app::IdentificationDecision& d) {
  return {{"proposal", d.proposal},
          {"person", d.person.value},
          {"status", registry::Name(d.status)},
          {"by", d.decided_by},
          {"seq", d.seq}};
}

Result<Reply> Confirm(Call& c) {
  WB_ASSIGN_OR_RETURN(const auto r, Decision(c, true));
  WB_ASSIGN_OR_RETURN(const auto d, app::ConfirmIdentification(*c.backend.registry, r));
  return Ok(DecisionJson(d));
}

Result<Reply> Reject(Call& c) {
  WB_ASSIGN_OR_RETURN(const auto r, Decision(c, false));
  WB_ASSIGN_OR_RETURN(const auto d, app::RejectIdentification(*c.backend.registry, r));
  return Ok(DecisionJson(d));
}

Result<Reply> SignOff(Call& c) {
  WB_ASSIGN_OR_RETURN(const auto r, Decision(c, false));
  WB_ASSIGN_OR_RETURN(const auto d, app::SignOffIdentification(*c.backend.registry, r));
  return Ok({{"proposal", d.proposal},
             {"person", d.person.value},
             {"status", "confirmed"},
             {"signed_off", true},
             {"by", d.signed_off_by},
             {"seq", d.seq}});
}

// Revokes a confirmed identification (body: reason); the person's case is open again.
Result<Reply> Revoke(Call& c) {
  WB_ASSIGN_OR_RETURN(const auto d, Decision(c, false));
  app::RevokeIdentificationRequest r;
  r.meta = d.meta;
  r.proposal = d.proposal;
  WB_ASSIGN_OR_RETURN(const auto v, app::RevokeIdentification(*c.backend.registry, r));
  return Ok({{"proposal", v.proposal},
             {"person", v.person.value},
             {"status", "revoked"},
             {"by", v.revoked_by},
             {"seq", v.seq}});
}

Result<Reply> Matches(Call& c) {
  const std::string individual = Query(c, "individual");
  if (individual.empty()) return tl::unexpected(Bad("is required", "individual"));
  WB_ASSIGN_OR_RETURN(const auto proposals, app::ListProposals(*c.backend.registry, {}));
  WB_ASSIGN_OR_RETURN(const std::set<int64_t> hidden, HiddenPersons(c));
  json out = json::array();
  for (const auto& p : proposals) {
    if (p.individual != individual || hidden.count(p.person.value) > 0) continue;
    out.push_back(io::ProposalJson(p, true));
  }
  c.records = "individual " + individual;
  c.audit_read = true;
  return Ok({{"individual", individual}, {"matches", out}});
}

// POST /api/v1/identification-runs: the laboratory's files in the body (docs/FORMATS.md), the run
// in the background, its decisions recorded as proposals. References whose relative in the
// register has withdrawn consent (consent "none") are left out of the run.
// The options a run may set in its body (dropout, theta); the server's runs use one thread.
Result<kinship::IdentifyOptions> RunOptionsOf(const Call& c) {
  kinship::IdentifyOptions options;
  options.threads = 1;
  for (const char* key : {"dropout", "theta"}) {
    auto it = c.body.find(key);
    if (it == c.body.end()) continue;
    if (!it->is_number()) return tl::unexpected(Bad("must be a number", key));
    (std::string_view(key) == "dropout" ? options.remains_dropout : options.theta) =
        it->get<double>();
  }
  return options;
}

// A run's progress, as the queue shows it.
std::function<void(const std::string&, double)> RunProgress(int64_t id) {
  return [id](const std::string& stage, double f) {
    Runs().Update(id, [&](RunState& r) {
      r.stage = stage;
      r.fraction = f;
    });
  };
}

// The counts of a finished run, as GET /api/v1/identification-runs/{id} gives them.
json RunCounts(const app::RegisterRunResult& res, int references_without_consent) {
  return json{{"run", res.run},
              {"samples", res.samples},
              {"individuals", res.individuals},
              {"families", res.families},
              {"missing_persons", res.missing_persons},
              {"identified", res.identified},
              {"ambiguous", res.ambiguous},
              {"not_identified", res.not_identified},
              {"references_without_consent", references_without_consent},
              {"proposed", res.proposals.proposed},
              {"proposed_ambiguous", res.proposals.ambiguous},
              {"not_in_register", res.proposals.unlinked},
              {"not_open", res.proposals.not_open},
              {"unknown_person", res.proposals.unknown},
              {"already_proposed", res.proposals.repeated}};
}

// POST /api/v1/identification-runs with {"source": "register"}: the run on the register's own
// families, reference profiles and remains profiles (sites and bags of the register), as
// `whereabouts identify --db` runs it: the run and its proposals are recorded in one write, and
// the counts say what was left out and why.
Result<Reply> StartRegisterRun(Call& c) {
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"source", "reason", "dropout", "theta"}));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  WB_ASSIGN_OR_RETURN(kinship::IdentifyOptions options, RunOptionsOf(c));
  WB_ASSIGN_OR_RETURN(const std::string frequencies, io::ReadTextFile(c.options.frequencies));
  auto db = std::make_shared<kinship::FrequencyDatabase>();
  {
    auto parsed = io::ParseFrequencyTsv(frequencies, "frequencies");
    if (!parsed) return tl::unexpected(parsed.error());
    *db = std::move(*parsed);
  }
  auto req = std::make_shared<app::RegisterIdentifyRequest>();
  req->meta = Meta(c, reason);
  req->meta.idempotency_key.clear();
  req->options = options;
  req->frequencies = db.get();
  auto factory = std::make_shared<BackendFactory>(c.factory);
  const int64_t run = Runs().Submit(c.who.name, [db, req, factory, frequencies](RunState& state) {
    req->options.progress = RunProgress(state.id);
    auto backend = (*factory)();
    if (!backend) return json{{"error", Problem(backend.error())}};
    Runs().Update(state.id, [](RunState& r) { r.stage = "reading the register"; });
    auto dna = app::CollectRegisterDna(*(*backend)->registry, *(*backend)->store);
    if (!dna) return json{{"error", Problem(dna.error())}};
    for (auto& [name, bytes] : io::ExchangeFiles(dna->input)) {
      req->input_files.emplace_back(name, std::move(bytes));
    }
    req->input_files.emplace_back("frequencies", frequencies);
    auto res =
        app::IdentifyOnRegister(*(*backend)->registry, *(*backend)->store, *req, std::move(*dna));
    if (!res) return json{{"error", Problem(res.error())}};
    int without_consent = 0;
    json left_out = json::object();
    for (const auto& [why, n] : res->dna.left_out) {
      left_out[why] = n;
      if (why.find("consent") != std::string::npos) without_consent += n;
    }
    json counts = RunCounts(res->run, without_consent);
    counts["source"] = "register";
    counts["left_out"] = std::move(left_out);
    return counts;
  });
  c.records = "identification-run " + std::to_string(run) + " on the register";
  c.headers.emplace_back("Location", "/api/v1/identification-runs/" + std::to_string(run));
  return Ok({{"id", run}, {"status", "queued"}}, 202);
}

Result<Reply> StartRun(Call& c) {
  if (c.body.contains("source")) {
    if (!c.body["source"].is_string() || c.body["source"] != "register") {
      return tl::unexpected(
          Bad("must be \"register\" (or leave it out and send the files)", "source"));
    }
    return StartRegisterRun(c);
  }
  WB_RETURN_IF_ERROR(OnlyFields(c.body, {"families", "references", "remains", "remains_alleles",
                                         "frequencies", "reason", "dropout", "theta"}));
  struct Files {
    std::string families, references, remains, remains_alleles, frequencies;
  };
  auto files = std::make_shared<Files>();
  WB_ASSIGN_OR_RETURN(files->families, Str(c.body, "families", true));
  WB_ASSIGN_OR_RETURN(files->references, Str(c.body, "references", true));
  WB_ASSIGN_OR_RETURN(files->remains, Str(c.body, "remains", true));
  WB_ASSIGN_OR_RETURN(files->remains_alleles, Str(c.body, "remains_alleles", true));
  WB_ASSIGN_OR_RETURN(files->frequencies, Str(c.body, "frequencies", false));
  WB_ASSIGN_OR_RETURN(std::string reason, Str(c.body, "reason", false));
  WB_ASSIGN_OR_RETURN(kinship::IdentifyOptions options, RunOptionsOf(c));
  if (files->frequencies.empty()) {
    WB_ASSIGN_OR_RETURN(files->frequencies, io::ReadTextFile(c.options.frequencies));
  }
  // Everything is parsed now, so that a malformed file is refused with 400 before any work.
  auto db = std::make_shared<kinship::FrequencyDatabase>();
  {
    auto parsed = io::ParseFrequencyTsv(files->frequencies, "frequencies");
    if (!parsed) return tl::unexpected(parsed.error());
    *db = std::move(*parsed);
  }
  auto req = std::make_shared<app::RegisterRunRequest>();
  req->meta = Meta(c, reason);
  req->meta.idempotency_key.clear();
  req->options = options;
  WB_ASSIGN_OR_RETURN(io::FamiliesFile fam, io::ParseFamilies(files->families, "families"));
  req->input.families = std::move(fam.families);
  WB_ASSIGN_OR_RETURN(req->input.references, io::ParseAlleleTable(files->references, "references"));
  WB_ASSIGN_OR_RETURN(req->input.remains, io::ParseRemains(files->remains, "remains"));
  WB_ASSIGN_OR_RETURN(req->input.remains_profiles,
                      io::ParseAlleleTable(files->remains_alleles, "remains_alleles"));
  {
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable t,
                        io::DelimitedTable::Parse(files->families, "families"));
    WB_ASSIGN_OR_RETURN(const int f, t.RequireColumn("family"));
    WB_ASSIGN_OR_RETURN(const int i, t.RequireColumn("id"));
    WB_ASSIGN_OR_RETURN(const int p, t.RequireColumn("person"));
    for (const auto& row : t.rows()) {
      const std::string& person = t.Cell(row, p);
      if (person.empty()) continue;
      WB_ASSIGN_OR_RETURN(const int64_t id, registry::ParseId(person, t.Where(row, p)));
      req->person_of[{t.Cell(row, f), t.Cell(row, i)}] = registry::PersonId{id};
    }
  }
  // Consent: a reference sample whose relative withdrew consent is not used.
  int withdrawn = 0;
  {
    WB_ASSIGN_OR_RETURN(
        const std::set<std::string> refused,
        app::SamplesWithoutConsent(*c.backend.registry, app::ReferencePurpose::kIdentification));
    auto& refs = req->input.references;
    const size_t before = refs.size();
    refs.erase(
        std::remove_if(refs.begin(), refs.end(),
                       [&](const kinship::Profile& pr) { return refused.count(pr.sample) > 0; }),
        refs.end());
    withdrawn = static_cast<int>(before - refs.size());
  }
  req->input.database = db.get();
  req->input_parts = {{"families", files->families},
                      {"references", files->references},
                      {"remains", files->remains},
                      {"remains_alleles", files->remains_alleles},
                      {"frequencies", files->frequencies}};
  req->frequencies_name = c.body.contains("frequencies")
                              ? std::string("uploaded with the run")
                              : std::filesystem::path(c.options.frequencies).filename().string();
  // The run gets its own connection to the register: the request's goes back to the pool.
  const std::string by = c.who.name;
  auto factory = std::make_shared<BackendFactory>(c.factory);
  const int64_t run = Runs().Submit(by, [files, db, req, factory, withdrawn](RunState& state) {
    req->options.progress = RunProgress(state.id);
    auto backend = (*factory)();
    if (!backend) return json{{"error", Problem(backend.error())}};
    auto res = app::RunIdentificationOnRegister(*(*backend)->registry, *(*backend)->store, *req);
    if (!res) return json{{"error", Problem(res.error())}};
    json counts = RunCounts(*res, withdrawn);
    counts["source"] = "files";
    return counts;
  });
  c.records = "identification-run " + std::to_string(run);
  c.headers.emplace_back("Location", "/api/v1/identification-runs/" + std::to_string(run));
  return Ok({{"id", run}, {"status", "queued"}}, 202);
}

Result<Reply> GetRun(Call& c) {
  WB_ASSIGN_OR_RETURN(const int64_t id, PathId(c, 0, "identification run"));
  const std::optional<RunState> s = Runs().Find(id);
  if (!s) return MakeError(ErrorCode::kNotFound, "no identification run " + std::to_string(id));
  json j = {{"id", s->id},
            {"status", s->status},
            {"stage", s->stage},
            {"fraction", s->fraction},
            {"started_by", s->started_by}};
  if (s->status == "done") j["counts"] = s->result;
  if (s->status == "failed") j["error"] = s->result["error"];
  return Ok(j);
}

// ------------------------------------------------------------------------------------------
// Audit and accounts.

json AuditJson(const app::AuditRecord& r) {
  return {{"seq", r.seq},         {"at", r.at},
          {"actor", r.actor},     {"action", r.action},
          {"records", r.records}, {"address", r.address},
          {"outcome", r.outcome}, {"event_seq", r.event_seq},
          {"hash", r.hash}};
}

Result<Reply> Audit(Call& c) {
  int64_t from = 1;
  if (const std::string s = Query(c, "from"); !s.empty()) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), from);
    if (ec != std::errc() || p != s.data() + s.size() || from < 1) {
      return tl::unexpected(Bad("must be a record number (1 the first)", "from"));
    }
  }
  WB_ASSIGN_OR_RETURN(const size_t limit, LimitQuery(c, 100, 1000));
  WB_ASSIGN_OR_RETURN(const auto records, app::ListAudit(*c.backend.access, from, limit));
  json out = json::array();
  for (const auto& r : records) out.push_back(AuditJson(r));
  const json next = records.size() == limit ? json(records.back().seq + 1) : json();
  return Ok({{"records", out}, {"next_from", next}});
}

Result<Reply> AuditVerify(Call& c) {
  WB_ASSIGN_OR_RETURN(const app::AuditCheck check, app::VerifyAudit(Ctx(c)));
  return Ok({{"records", check.records},
             {"ok", check.ok},
             {"first_bad", check.first_bad},
             {"problem", check.problem}});
}

Result<Reply> Accounts(Call& c) {
  WB_ASSIGN_OR_RETURN(const auto accounts, app::ListAccounts(*c.backend.access));
  json out = json::array();
  const int64_t now = c.clock.NowSeconds();
  for (const auto& a : accounts) {
    out.push_back({{"id", a.id},
                   {"name", a.name},
                   {"role", app::Name(a.role)},
                   {"disabled", a.disabled},
                   {"locked", a.locked_until > now}});
  }
  return Ok({{"accounts", out}});
}

}  // namespace

const std::vector<RouteSpec>& RouteTable() {
  using A = AuditKind;
  using P = Permission;
  static const std::vector<RouteSpec> kRoutes = {
      {"GET", "/api/v1/health", P::kPublic, A::kNone, "health", Health},
      {"POST", "/api/v1/session", P::kPublic, A::kSelf, "login", Login},
      {"GET", "/api/v1/session", P::kSignedIn, A::kNone, "session.read", WhoAmI},
      {"DELETE", "/api/v1/session", P::kSignedIn, A::kSelf, "logout", LogoutRoute},
      {"POST", "/api/v1/session/password", P::kSignedIn, A::kSelf, "password.change",
       ChangePassword},
      {"GET", "/api/v1/persons", P::kReadPersons, A::kNone, "persons.search", SearchPersons},
      {"POST", "/api/v1/persons", P::kWritePersons, A::kWrite, "person.register", CreatePerson},
      {"GET", "/api/v1/persons/{id}", P::kReadPersons, A::kNone, "person.read", GetPersonRoute},
      {"PATCH", "/api/v1/persons/{id}", P::kWritePersons, A::kWrite, "person.correct", PatchPerson},
      {"GET", "/api/v1/persons/{id}/history", P::kReadPersons, A::kNone, "person.history",
       PersonHistory},
      {"POST", "/api/v1/persons/{id}/events", P::kWritePersons, A::kWrite, "person.event",
       PersonEvent},
      {"POST", "/api/v1/persons/{id}/notification", P::kNotifyFamily, A::kWrite,
       "person.family_notified", NotifyFamily},
      {"GET", "/api/v1/persons/{id}/relatives", P::kReadPersons, A::kNone, "relatives.read",
       PersonRelatives},
      {"POST", "/api/v1/persons/{id}/relatives", P::kWritePersons, A::kWrite, "relative.register",
       AddRelativeRoute},
      {"POST", "/api/v1/relatives/{id}/consent", P::kWritePersons, A::kWrite, "relative.consent",
       ConsentRoute},
      {"PUT", "/api/v1/persons/{id}/restriction", P::kManageAccounts, A::kSelf, "case.restrict",
       RestrictRoute},
      {"GET", "/api/v1/figures", P::kReadFigures, A::kNone, "figures.read", Figures},
      {"GET", "/api/v1/figures/report", P::kReadFigures, A::kNone, "figures.report",
       FiguresReportRoute},
      {"GET", "/api/v1/persons/{id}/certificates/absence", P::kIssueDocuments, A::kNone,
       "certificate.absence", AbsenceCertificateRoute},
      {"GET", "/api/v1/persons/{id}/certificates/death", P::kIssueDocuments, A::kNone,
       "certificate.death", DeathCertificateRoute},
      {"GET", "/api/v1/identifications/{id}/letter", P::kIssueDocuments, A::kNone,
       "identification.letter", LetterRoute},
      {"GET", "/api/v1/identifications/{id}/report", P::kReadGenetic, A::kNone,
       "identification.report", IdentificationReportRoute},
      {"GET", "/api/v1/figures/cells/{key}", P::kReadPersons, A::kNone, "figures.records",
       FigureCell},
      {"GET", "/api/v1/incidents", P::kReadPersons, A::kNone, "incidents.read", Incidents},
      {"GET", "/api/v1/persons/{id}/references", P::kReadGenetic, A::kNone, "references.read",
       PersonReferences},
      {"GET", "/api/v1/sites", P::kReadSites, A::kNone, "sites.read", Sites},
      {"POST", "/api/v1/sites", P::kWriteSites, A::kWrite, "site.register", CreateSite},
      {"POST", "/api/v1/sites/{id}/excavations", P::kWriteSites, A::kWrite, "site.excavate",
       Excavate},
      {"GET", "/api/v1/hazards", P::kReadSites, A::kNone, "hazards.read", Hazards},
      {"GET", "/api/v1/remains", P::kReadRemains, A::kNone, "remains.list", ListRemainsRoute},
      {"POST", "/api/v1/remains", P::kWriteRemains, A::kWrite, "remains.recover", CreateRemains},
      {"GET", "/api/v1/remains/{id}", P::kReadRemains, A::kNone, "remains.read", GetRemains},
      {"POST", "/api/v1/remains/{id}/custody", P::kWriteRemains, A::kWrite, "remains.transfer",
       Custody},
      {"GET", "/api/v1/identifications", P::kReadIdentifications, A::kNone, "identifications.read",
       ListIdentifications},
      {"POST", "/api/v1/identifications/{id}/confirm", P::kDecideIdentification, A::kWrite,
       "identification.confirm", Confirm},
      {"POST", "/api/v1/identifications/{id}/reject", P::kDecideIdentification, A::kWrite,
       "identification.reject", Reject},
      {"POST", "/api/v1/identifications/{id}/sign-off", P::kSignOffIdentification, A::kWrite,
       "identification.sign_off", SignOff},
      {"POST", "/api/v1/identifications/{id}/revoke", P::kDecideIdentification, A::kWrite,
       "identification.revoke", Revoke},
      {"GET", "/api/v1/matches", P::kReadGenetic, A::kNone, "matches.read", Matches},
      {"POST", "/api/v1/identification-runs", P::kRunIdentification, A::kWrite,
       "identification_run.start", StartRun, /*upload=*/true},
      {"GET", "/api/v1/identification-runs/{id}", P::kRunIdentification, A::kNone,
       "identification_run.read", GetRun},
      {"GET", "/api/v1/audit", P::kReadAudit, A::kNone, "audit.read", Audit},
      {"GET", "/api/v1/audit/verify", P::kReadAudit, A::kNone, "audit.verify", AuditVerify},
      {"GET", "/api/v1/accounts", P::kManageAccounts, A::kNone, "accounts.read", Accounts},
  };
  return kRoutes;
}

}  // namespace whereabouts::server
