import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requirePageCapability } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { listUserSummaries } from "@/db/queries/admin";
import { type Capability, capabilities, hasCapability } from "@/lib/auth/roles";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("admin") };
}

/** Administration: editors and admins only (others get the 403 page); the user list is for admins. */
export default async function AdminPage() {
  const actor = await requirePageCapability("editPrompts");
  const canManageUsers = hasCapability(actor.role, "manageUsers");
  const users = canManageUsers ? await listUserSummaries(await getDb()) : [];
  const t = await getTranslations("admin");
  const tRoles = await getTranslations("roles");
  const tCapabilities = await getTranslations("capabilities");
  const granted = (Object.keys(capabilities) as Capability[]).filter((name) => hasCapability(actor.role, name));

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />

      <nav aria-label={t("sectionsLabel")} className="mb-8 grid gap-3 sm:grid-cols-2">
        <Link
          href="/admin/prompts"
          className="rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          <span className="block font-semibold text-indigo-800">{t("promptsLink")}</span>
          <span className="block text-sm text-slate-600">{t("promptsDescription")}</span>
        </Link>
        {canManageUsers ? (
          <Link
            href="/admin/prompts/audit"
            className="rounded-lg border border-slate-200 bg-white p-4 hover:border-indigo-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            <span className="block font-semibold text-indigo-800">{t("auditLink")}</span>
            <span className="block text-sm text-slate-600">{t("auditDescription")}</span>
          </Link>
        ) : null}
      </nav>

      <section aria-labelledby="admin-role" className="mb-8">
        <h2 id="admin-role" className="mb-2 text-lg font-semibold">
          {t("yourRole", { role: tRoles(actor.role) })}
        </h2>
        <ul className="list-inside list-disc text-sm text-slate-700">
          {granted.map((name) => (
            <li key={name}>{tCapabilities(name)}</li>
          ))}
        </ul>
      </section>

      {canManageUsers ? (
        <section aria-labelledby="admin-users">
          <h2 id="admin-users" className="mb-2 text-lg font-semibold">
            {t("users")}
          </h2>
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">{t("usersCaption")}</caption>
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    {t("name")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("email")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("role")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("workspaces")}
                  </th>
                  <th scope="col" className="px-4 py-2">
                    {t("status")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {users.map((row) => (
                  <tr key={row.id}>
                    <td className="px-4 py-2 font-medium">{row.name}</td>
                    <td className="px-4 py-2">{row.email}</td>
                    <td className="px-4 py-2">{tRoles(row.role)}</td>
                    <td className="px-4 py-2">{row.workspaces}</td>
                    <td className="px-4 py-2">{row.disabledAt ? t("disabled") : t("active")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
