import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { badRequest } from "@/lib/errors";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, isJsonContentType, parseJsonBody, parseSearchParams } from "@/lib/http/route";
import {
  createDocuments,
  documentListQuerySchema,
  listKnowledgeDocuments,
  pasteDocumentSchema,
  pasteToDraft,
} from "@/lib/knowledge/documents";
import { getKnowledgeDeps, wakeKnowledgeIndexer } from "@/lib/knowledge/runtime";
import { readUploadForm } from "@/lib/knowledge/upload-form";

export const dynamic = "force-dynamic";

/** List the workspace's documents, newest first, with how many of their chunks are embedded. */
export const GET = apiRoute<{ workspaceId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  await requireWorkspace(actor, params.workspaceId);
  const query = parseSearchParams(request, documentListQuerySchema);

  const result = await listKnowledgeDocuments(await getKnowledgeDeps(), { workspaceId: params.workspaceId, query });

  return Response.json(result);
});

/**
 * Add documents: a JSON body pastes one text document; a multipart form uploads a `.md`, `.txt`,
 * `.csv` or `.jsonl` file (one feedback document per JSONL line). Chunks are stored at once and
 * embedded by a background job; the response has the new documents (201).
 */
export const POST = apiRoute<{ workspaceId: string }>(async ({ request, params, log }) => {
  const contentType = request.headers.get("content-type") ?? "";
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  await requireWorkspace(actor, params.workspaceId);

  const deps = await getKnowledgeDeps();
  let drafts: ReturnType<typeof pasteToDraft>[];
  // Media types are case-insensitive, so `Multipart/Form-Data` and `Application/JSON` are accepted.
  if (/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
    drafts = await readUploadForm(request, deps.settings.maxUploadBytes);
  } else if (isJsonContentType(contentType)) {
    drafts = [pasteToDraft(await parseJsonBody(request, pasteDocumentSchema))];
  } else {
    throw badRequest("Send JSON (a pasted document) or multipart/form-data (a file upload).", {
      field: "content-type",
    });
  }

  const result = await createDocuments(deps, { actor, workspaceId: params.workspaceId, drafts });
  wakeKnowledgeIndexer();
  log.info(
    { workspaceId: params.workspaceId, created: result.documents.length, skipped: result.skippedExternalIds.length },
    "documents added",
  );

  return Response.json(result, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
