import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { AddDocuments } from "@/components/knowledge/add-documents";
import { DeleteDocumentButton } from "@/components/knowledge/delete-document-button";
import { IndexStatus } from "@/components/knowledge/index-status";
import { requirePageWorkspace } from "@/components/shell/session";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { countEmbeddedChunks, getLatestKnowledgeJob } from "@/db/queries/knowledge";
import { documentKinds } from "@/db/schema";
import { hasCapability } from "@/lib/auth/roles";
import { chatUrl } from "@/lib/chat/urls";
import { getEmbeddingModelKey } from "@/lib/knowledge/deps";
import { documentListQuerySchema, listKnowledgeDocuments } from "@/lib/knowledge/documents";
import { getKnowledgeDeps } from "@/lib/knowledge/runtime";
import { toJobStatus } from "@/lib/knowledge/status";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("knowledge") };
}

type SearchParams = Record<string, string | string[] | undefined>;

const kindLabels = { note: "kindNote", feedback: "kindFeedback", file: "kindFile" } as const;

/** Filters from the query string; invalid values are ignored rather than failing the page. */
function readFilters(query: SearchParams) {
  const parsed = documentListQuerySchema.safeParse({
    kind: query.kind || undefined,
    language: query.language || undefined,
    search: query.search || undefined,
    limit: 500,
  });
  return parsed.success ? parsed.data : documentListQuerySchema.parse({ limit: 500 });
}

export default async function KnowledgePage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { actor, workspace } = await requirePageWorkspace((await params).workspaceId);
  const query = await searchParams;
  const t = await getTranslations("knowledge");
  const deps = await getKnowledgeDeps();
  const filters = readFilters(query);
  const filtered = Boolean(query.kind || query.language || query.search);

  const [{ documents, total }, job, embeddedChunks] = await Promise.all([
    listKnowledgeDocuments(deps, { workspaceId: workspace.id, query: filters }),
    getLatestKnowledgeJob(deps.db, { workspaceId: workspace.id }),
    countEmbeddedChunks(deps.db, { workspaceId: workspace.id, model: getEmbeddingModelKey(deps) ?? "" }),
  ]);
  const canEdit = hasCapability(actor.role, "editBacklog");
  const canChat = hasCapability(actor.role, "runAi");

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description")}
        actions={
          canChat ? (
            <Link href={chatUrl(workspace.id)} className={buttonClasses("secondary")}>
              {t("askChat")}
            </Link>
          ) : null
        }
      />
      <div className="flex flex-col gap-6">
        <IndexStatus
          workspaceId={workspace.id}
          initial={job ? toJobStatus(job) : null}
          embeddedChunks={embeddedChunks}
          canEdit={canEdit}
        />
        {canEdit ? <AddDocuments workspaceId={workspace.id} /> : null}

        <section aria-labelledby="documents" className="flex flex-col gap-3">
          <h2 id="documents" className="text-lg font-semibold text-slate-900">
            {t("listTitle")}
          </h2>
          <form method="get" className="flex flex-wrap items-end gap-3 text-sm">
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-800">{t("searchLabel")}</span>
              <input
                name="search"
                defaultValue={typeof query.search === "string" ? query.search : ""}
                className="rounded-md border border-slate-300 px-3 py-2"
              />
            </label>
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-800">{t("filterKind")}</span>
              <select
                name="kind"
                defaultValue={typeof query.kind === "string" ? query.kind : ""}
                className="rounded-md border border-slate-300 px-3 py-2"
              >
                <option value="">{t("filterAll")}</option>
                {documentKinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {t(kindLabels[kind])}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-800">{t("filterLanguage")}</span>
              <input
                name="language"
                size={6}
                defaultValue={typeof query.language === "string" ? query.language : ""}
                className="rounded-md border border-slate-300 px-3 py-2"
              />
            </label>
            <button type="submit" className={buttonClasses("secondary")}>
              {t("filterApply")}
            </button>
            {filtered ? (
              <Link href={`/w/${workspace.id}/knowledge`} className={buttonClasses("ghost")}>
                {t("filterReset")}
              </Link>
            ) : null}
          </form>

          {total === 0 && !filtered ? (
            <EmptyState title={t("emptyTitle")} description={t("emptyDescription")} />
          ) : total === 0 ? (
            <p className="text-sm text-slate-600">{t("noMatch")}</p>
          ) : (
            <>
              <p className="text-xs text-slate-500">{t("shown", { shown: documents.length, total })}</p>
              <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
                <table className="min-w-full text-left text-sm">
                  <thead className="bg-slate-50 text-xs text-slate-600 uppercase">
                    <tr>
                      <th scope="col" className="px-3 py-2">
                        {t("columnTitle")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("columnKind")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("columnLanguage")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("columnChunks")}
                      </th>
                      <th scope="col" className="px-3 py-2">
                        {t("columnEmbedded")}
                      </th>
                      {canEdit ? (
                        <th scope="col" className="px-3 py-2">
                          {t("columnActions")}
                        </th>
                      ) : null}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {documents.map((document) => (
                      <tr key={document.id}>
                        <td className="px-3 py-2">
                          <Link
                            href={`/w/${workspace.id}/knowledge/${document.id}`}
                            className="text-indigo-700 underline"
                          >
                            {document.externalId ? `${document.externalId} · ` : ""}
                            {document.title}
                          </Link>
                        </td>
                        <td className="px-3 py-2">{t(kindLabels[document.kind])}</td>
                        <td className="px-3 py-2">{document.language ?? t("languageUnknown")}</td>
                        <td className="px-3 py-2">{document.chunkCount}</td>
                        <td className="px-3 py-2">{document.embeddedCount}</td>
                        {canEdit ? (
                          <td className="px-3 py-2">
                            <DeleteDocumentButton
                              workspaceId={workspace.id}
                              documentId={document.id}
                              title={document.title}
                            />
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      </div>
    </>
  );
}
