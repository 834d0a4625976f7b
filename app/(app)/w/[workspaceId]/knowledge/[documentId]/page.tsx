import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { DocumentDetails } from "@/components/knowledge/document-details";
import { requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { isAppError } from "@/lib/errors";
import { getDocumentWithChunksOrThrow } from "@/lib/knowledge/documents";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("nav"))("knowledge") };
}

async function loadDocument(params: { workspaceId: string; documentId: string }) {
  try {
    return await getDocumentWithChunksOrThrow(await getDb(), params);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  }
}

/**
 * A document and its chunks in order. `?chunk=<id>` marks the chunk a chat answer cited; the link
 * also carries `#chunk-<id>`, so the browser scrolls to it.
 */
export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ workspaceId: string; documentId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { workspaceId, documentId } = await params;
  const { workspace } = await requirePageWorkspace(workspaceId);
  const cited = (await searchParams).chunk;
  const t = await getTranslations("knowledge");
  const { document, chunks } = await loadDocument({ workspaceId: workspace.id, documentId });

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/w/${workspace.id}/knowledge`} className="text-indigo-700 underline">
          ← {t("documentBack")}
        </Link>
      </p>
      <PageHeader title={document.externalId ? `${document.externalId} · ${document.title}` : document.title} />
      <DocumentDetails document={document} />

      <section aria-labelledby="chunks" className="flex flex-col gap-3">
        <h2 id="chunks" className="text-lg font-semibold text-slate-900">
          {t("chunksTitle")}
        </h2>
        {chunks.length === 0 ? <p className="text-sm text-slate-600">{t("noChunks")}</p> : null}
        <ol className="flex flex-col gap-3">
          {chunks.map((chunk) => {
            const isCited = chunk.id === cited;
            return (
              <li
                key={chunk.id}
                id={`chunk-${chunk.id}`}
                aria-current={isCited ? "true" : undefined}
                className="scroll-mt-24 rounded-lg border border-slate-200 bg-white p-3 aria-[current=true]:border-amber-400 aria-[current=true]:bg-amber-50 aria-[current=true]:ring-2 aria-[current=true]:ring-amber-300"
              >
                <p className="mb-1 flex flex-wrap gap-3 text-xs text-slate-500">
                  <span className="font-semibold text-slate-700">
                    {t("chunkHeading", { position: chunk.position + 1 })}
                  </span>
                  {chunk.heading ? <span>{chunk.heading}</span> : null}
                  <span>{t("chunkTokens", { count: chunk.tokenCount })}</span>
                  {chunk.embeddingModel ? null : <span>{t("chunkNotEmbedded")}</span>}
                  {isCited ? <strong className="text-amber-800">{t("chunkCited")}</strong> : null}
                </p>
                <p className="text-sm whitespace-pre-wrap text-slate-900">{chunk.text}</p>
              </li>
            );
          })}
        </ol>
      </section>

      <details className="mt-6 text-sm">
        <summary className="cursor-pointer font-medium text-slate-800">{t("fullText")}</summary>
        <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 p-3 whitespace-pre-wrap text-slate-800">
          {document.content}
        </pre>
      </details>
    </>
  );
}
