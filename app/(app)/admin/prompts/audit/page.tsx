import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { requirePageCapability } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { listPromptAuditLog } from "@/db/queries/prompt-tests";

const ENTRIES_SHOWN = 200;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("promptAdmin.audit"))("title") };
}

/** Show who changed which prompt and how, newest first; admins only. */
export default async function PromptAuditPage() {
  await requirePageCapability("manageUsers");
  const entries = await listPromptAuditLog(await getDb(), { limit: ENTRIES_SHOWN });
  const t = await getTranslations("promptAdmin.audit");
  const format = await getFormatter();

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { count: ENTRIES_SHOWN })}
        actions={
          <Link href="/admin/prompts" className={buttonClasses("ghost")}>
            {t("back")}
          </Link>
        }
      />
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                {t("time")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("who")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("action")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("target")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("change")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td className="whitespace-nowrap px-4 py-2">
                  {format.dateTime(new Date(entry.createdAt), { dateStyle: "medium", timeStyle: "medium" })}
                </td>
                <td className="px-4 py-2">{entry.actorName ?? t("system")}</td>
                <td className="px-4 py-2">
                  {t.has(`actions.${entry.action}`) ? t(`actions.${entry.action}`) : entry.action}
                </td>
                <td className="px-4 py-2 font-mono text-xs">{entry.entityId}</td>
                <td className="max-w-md px-4 py-2">
                  <details>
                    <summary className="cursor-pointer text-xs text-indigo-700">{t("details")}</summary>
                    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words text-xs">
                      {JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
