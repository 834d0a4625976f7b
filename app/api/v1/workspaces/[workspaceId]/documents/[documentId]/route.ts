import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";
import { deleteKnowledgeDocument, getDocumentWithChunksOrThrow } from "@/lib/knowledge/documents";

export const dynamic = "force-dynamic";

type Params = { workspaceId: string; documentId: string };

/** A document with its chunks (text, offsets in the content, embedding model), in order. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  await requireWorkspace(actor, params.workspaceId);

  const { document, chunks } = await getDocumentWithChunksOrThrow(await getDb(), params);

  return Response.json({ document, chunks });
});

/** Delete a document with its chunks and embeddings; chat answers stop citing it at once. */
export const DELETE = apiRoute<Params>(async ({ request, params, log }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "editBacklog");
  await requireWorkspace(actor, params.workspaceId);

  const deleted = await deleteKnowledgeDocument(await getDb(), { actor, ...params });
  log.info({ workspaceId: params.workspaceId, documentId: deleted.id }, "document deleted");

  return new Response(null, { status: 204 });
});

export const { POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["GET", "DELETE"]);
