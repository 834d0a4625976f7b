import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePageCapability } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { hasCapability } from "@/lib/auth/roles";
import { getBuiltInTextTranslators, localizePromptTexts } from "@/lib/prompt-admin/builtin-texts";
import { type LanguageOverview, listPromptOverviews } from "@/lib/prompt-admin/overview";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("promptAdmin.list"))("title") };
}

/**
 * List every prompt with, per language, what is live, drafts, the last edit and test, and drift.
 * Roles without `readPrompts` get the 403 page.
 */
export default async function PromptListPage() {
  const actor = await requirePageCapability("readPrompts");
  const translators = await getBuiltInTextTranslators();
  const prompts = (await listPromptOverviews(await getDb())).map((overview) => ({
    ...overview,
    prompt: localizePromptTexts(overview.prompt, translators),
  }));
  const t = await getTranslations("promptAdmin.list");
  const tLanguages = await getTranslations("promptAdmin.languages");
  const format = await getFormatter();
  const when = (date: Date) => format.dateTime(new Date(date), { dateStyle: "medium", timeStyle: "short" });
  const languageName = (language: string) => (tLanguages.has(language) ? tLanguages(language) : language);

  const describeDrift = (entry: LanguageOverview) =>
    entry.drift
      ? t("drift", {
          language: languageName(entry.language),
          reference: languageName(entry.drift.referenceLanguage),
          version: entry.drift.referenceVersion,
        })
      : t("inStep");

  return (
    <>
      <PageHeader
        title={t("title")}
        description={hasCapability(actor.role, "editPrompts") ? t("descriptionEditor") : t("descriptionReader")}
        actions={
          actor.role === "admin" ? (
            <Link href="/admin/prompts/audit" className={buttonClasses("secondary")}>
              {t("auditLog")}
            </Link>
          ) : null
        }
      />
      {prompts.length === 0 ? <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} /> : null}
      <div className="flex flex-col gap-6">
        {prompts.map(({ prompt, gateOn, languages }) => (
          <section
            key={prompt.key}
            aria-labelledby={`prompt-${prompt.key}`}
            className="rounded-lg border border-slate-200 bg-white"
          >
            <div className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-4 py-3">
              <div>
                <h2 id={`prompt-${prompt.key}`} className="font-mono text-base font-semibold text-slate-900">
                  <Link href={`/admin/prompts/${prompt.key}`} className="text-indigo-700 hover:underline">
                    {prompt.key}
                  </Link>
                </h2>
                <p className="text-sm text-slate-600">{prompt.description}</p>
              </div>
              <p className="text-xs text-slate-600">{gateOn ? t("gateOn") : t("gateOff")}</p>
            </div>
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("caption", { key: prompt.key })}</caption>
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    {t("language")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("published")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("draft")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("lastEdit")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("lastTest")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("driftColumn")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {languages.map((entry) => (
                  <tr key={entry.language} data-testid={`prompt-row-${prompt.key}-${entry.language}`}>
                    <th scope="row" className="px-4 py-2 font-medium">
                      {languageName(entry.language)}
                    </th>
                    <td className="px-4 py-2">
                      {entry.published ? t("version", { version: entry.published.versionNumber }) : t("notPublished")}
                      {entry.latestVersion &&
                      entry.published &&
                      entry.latestVersion.versionNumber !== entry.published.versionNumber
                        ? ` (${t("latest", { version: entry.latestVersion.versionNumber })})`
                        : ""}
                    </td>
                    <td className="px-4 py-2">{entry.draft ? t("hasDraft") : t("noDraft")}</td>
                    <td className="px-4 py-2">
                      {entry.lastEdit
                        ? t("editedBy", {
                            name: entry.lastEdit.name ?? t("importedFromFiles"),
                            time: when(entry.lastEdit.at),
                          })
                        : "—"}
                    </td>
                    <td className="px-4 py-2">
                      {entry.lastTest
                        ? t("testResult", {
                            passed: entry.lastTest.passed,
                            total: entry.lastTest.total,
                            version: entry.lastTest.versionNumber ?? 0,
                            time: when(entry.lastTest.ranAt),
                          })
                        : t("notTested")}
                    </td>
                    <td className={`px-4 py-2 ${entry.drift ? "font-medium text-amber-800" : "text-slate-600"}`}>
                      {describeDrift(entry)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </>
  );
}
