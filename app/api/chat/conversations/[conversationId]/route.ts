import { z } from "zod";
import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import {
  deleteConversationOrThrow,
  getConversationOrThrow,
  loadConversationMessages,
  renameConversationOrThrow,
  renameConversationSchema,
} from "@/lib/chat/conversations";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

type Params = { conversationId: string };
const workspaceQuerySchema = z.object({ workspaceId: z.uuid() });

/** Authorise the actor on the workspace of the query string; a conversation is looked up within it. */
async function authorise(request: Request, params: Params) {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const { workspaceId } = parseSearchParams(request, workspaceQuerySchema);
  await requireWorkspace(actor, workspaceId);
  return { conversationId: params.conversationId, workspaceId, userId: actor.userId };
}

/** A conversation with its messages and the ranking snapshot it was asked against. */
export const GET = apiRoute<Params>(async ({ request, params }) => {
  const owner = await authorise(request, params);

  const db = await getDb();
  const conversation = await getConversationOrThrow(db, owner);
  const messages = await loadConversationMessages(db, {
    conversationId: conversation.id,
    workspaceId: conversation.workspaceId,
  });

  return Response.json({ conversation, messages });
});

/** Rename a conversation. */
export const PATCH = apiRoute<Params>(async ({ request, params }) => {
  const owner = await authorise(request, params);
  const body = await parseJsonBody(request, renameConversationSchema);

  const conversation = await renameConversationOrThrow(await getDb(), { ...owner, title: body.title });

  return Response.json({
    conversation: { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt },
  });
});

/** Delete a conversation and its messages. */
export const DELETE = apiRoute<Params>(async ({ request, params, log }) => {
  const owner = await authorise(request, params);

  await deleteConversationOrThrow(await getDb(), owner);
  log.info({ conversationId: owner.conversationId }, "conversation deleted");

  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = methodsNotAllowed(["GET", "PATCH", "DELETE"]);
