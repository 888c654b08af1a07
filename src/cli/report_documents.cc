#include "cli/report_documents.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>

#include "app/documents.h"
#include "app/identification_report.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/atomic_file.h"
#include "io/pdf/pdf_document.h"
#include "io/pdf/register_documents.h"

namespace whereabouts::cli {
namespace {

struct DocumentOptions {
  std::string db;
  int64_t id = 0;
  std::string pdf;
  std::string lang = "en";
};

// The template `name`.`lang`.txt of the data folder, with the name errors give it.
struct Template {
  std::string text;
  std::string source;
};

Result<Template> LoadTemplate(const std::string& name, const std::string& lang) {
  const std::string file = name + "." + lang + ".txt";
  const std::filesystem::path path = std::filesystem::path(DataDir()) / "templates" / file;
  auto text = ReadFile(path.string());
  if (!text) {
    return MakeError(ErrorCode::kNotFound,
                     "no template " + file + " (looked for " + path.string() +
                         "; set WHEREABOUTS_DATA to the folder holding templates/)",
                     "--lang");
  }
  return Template{std::move(*text), file};
}

Status Write(const Result<io::pdf::Document>& doc, const std::string& path) {
  if (!doc) return tl::unexpected(doc.error());
  WB_ASSIGN_OR_RETURN(const std::string bytes, io::pdf::RenderPdf(*doc));
  return io::WriteFileAtomically(path, bytes);
}

void Written(const std::string& what, const std::string& path, const registry::ChainHead& head) {
  fmt::print("wrote {} to {} (register state: event #{})\n", what, path, head.seq);
}

CLI::App* DocumentCommand(CLI::App* parent, const std::string& name, const std::string& help,
                          const std::string& id_help, DocumentOptions* opt) {
  CLI::App* cmd = parent->add_subcommand(name, help);
  AddDbOption(cmd, &opt->db);
  cmd->add_option("id", opt->id, id_help)->required();
  cmd->add_option("--pdf", opt->pdf, "write the document as PDF to this file")->required();
  cmd->add_option("--lang", opt->lang, "the template's language (data/templates/*.LANG.txt)")
      ->capture_default_str();
  return cmd;
}

}  // namespace

Status WriteFiguresPdf(const app::FiguresReport& report, const std::string& lang,
                       const std::string& path) {
  WB_ASSIGN_OR_RETURN(const Template t, LoadTemplate("figures", lang));
  return Write(io::pdf::FiguresDocument(report.figures, report.head, t.text, t.source), path);
}

void AddDocumentCommands(CLI::App* report, int& exit_code) {
  CLI::App* certificate =
      report->add_subcommand("certificate", "certificates of absence and of death, as PDF");
  certificate->require_subcommand(1);

  auto absence = std::make_shared<DocumentOptions>();
  CLI::App* cmd = DocumentCommand(certificate, "absence",
                                  "certificate of absence of a missing person (refused unless "
                                  "the case is open)",
                                  "the missing person's id", absence.get());
  SetCallback(cmd, exit_code, [absence]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(absence->db, false));
    WB_ASSIGN_OR_RETURN(
        const app::AbsenceCertificate c,
        app::PrepareAbsenceCertificate(*reg.registry, *reg.store, registry::PersonId{absence->id}));
    WB_ASSIGN_OR_RETURN(const Template t, LoadTemplate("certificate-absence", absence->lang));
    WB_RETURN_IF_ERROR(
        Write(io::pdf::AbsenceCertificateDocument(c.person, c.basis.head, t.text, t.source),
              absence->pdf));
    Written("the certificate of absence of person " + std::to_string(absence->id), absence->pdf,
            c.basis.head);
    return {};
  });

  auto death = std::make_shared<DocumentOptions>();
  cmd = DocumentCommand(certificate, "death",
                        "certificate of death (refused without a confirmed, signed-off "
                        "identification or a reported death)",
                        "the person's id", death.get());
  SetCallback(cmd, exit_code, [death]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(death->db, false));
    WB_ASSIGN_OR_RETURN(
        const app::DeathCertificate c,
        app::PrepareDeathCertificate(*reg.registry, *reg.store, registry::PersonId{death->id}));
    WB_ASSIGN_OR_RETURN(const Template t, LoadTemplate("certificate-death", death->lang));
    const registry::IdentificationProposal* id = c.identification ? &*c.identification : nullptr;
    WB_RETURN_IF_ERROR(
        Write(io::pdf::DeathCertificateDocument(c.person, id, c.basis.head, t.text, t.source),
              death->pdf));
    Written(fmt::format("the certificate of death of person {} (resting on {})", death->id,
                        id != nullptr ? "identification " + std::to_string(id->id)
                                      : std::string("a reported death")),
            death->pdf, c.basis.head);
    return {};
  });

  auto ident = std::make_shared<DocumentOptions>();
  cmd = DocumentCommand(report, "identification",
                        "the identification report of a proposal: pedigree, per-marker evidence, "
                        "LR, priors, posterior, assumptions, custody, decisions (refused when "
                        "the proposal records no DNA evidence)",
                        "the identification's proposal id", ident.get());
  SetCallback(cmd, exit_code, [ident]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(ident->db, false));
    WB_ASSIGN_OR_RETURN(const app::IdentificationReport r,
                        app::PrepareIdentificationReport(*reg.registry, *reg.store, ident->id));
    WB_ASSIGN_OR_RETURN(const Template t, LoadTemplate("identification-report", ident->lang));
    WB_RETURN_IF_ERROR(Write(
        io::pdf::IdentificationReportDocument(io::pdf::FactsOf(r), r.basis.head, t.text, t.source),
        ident->pdf));
    Written("the identification report of proposal " + std::to_string(ident->id), ident->pdf,
            r.basis.head);
    return {};
  });

  auto letter = std::make_shared<DocumentOptions>();
  cmd = DocumentCommand(report, "letter",
                        "the family's notification letter of a signed-off identification",
                        "the identification's proposal id", letter.get());
  SetCallback(cmd, exit_code, [letter]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(letter->db, false));
    WB_ASSIGN_OR_RETURN(const app::NotificationLetter l,
                        app::PrepareNotificationLetter(*reg.registry, *reg.store, letter->id));
    WB_ASSIGN_OR_RETURN(const Template t, LoadTemplate("notification-letter", letter->lang));
    WB_RETURN_IF_ERROR(Write(io::pdf::NotificationLetterDocument(l.person, l.identification,
                                                                 l.basis.head, t.text, t.source),
                             letter->pdf));
    Written("the notification letter of proposal " + std::to_string(letter->id), letter->pdf,
            l.basis.head);
    return {};
  });
}

}  // namespace whereabouts::cli
