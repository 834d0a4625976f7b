import { z } from "zod";
import { getDb } from "@/db";
import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { listConversationsForUser } from "@/lib/chat/conversations";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseSearchParams } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const listSchema = z.object({
  workspaceId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** The signed-in user's conversations in a workspace, most recently active first. */
export const GET = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");
  const query = parseSearchParams(request, listSchema);
  await requireWorkspace(actor, query.workspaceId);

  const conversations = await listConversationsForUser(await getDb(), { ...query, userId: actor.userId });

  return Response.json({ conversations });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
