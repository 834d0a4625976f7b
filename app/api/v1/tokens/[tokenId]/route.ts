import { getDb } from "@/db";
import { requireSessionActor, revokeApiTokenForUser } from "@/lib/api/tokens";
import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Revoke one of the signed-in user's tokens; it stops working at once. */
export const DELETE = apiRoute<{ tokenId: string }>(async ({ request, params }) => {
  const actor = await requireActor(request);
  requireSessionActor(actor);
  requireCapability(actor, "read");

  const token = await revokeApiTokenForUser(await getDb(), { userId: actor.userId, tokenId: params.tokenId });
  return Response.json({ token });
});

export const { GET, POST, PUT, PATCH, OPTIONS } = methodsNotAllowed(["DELETE"]);
