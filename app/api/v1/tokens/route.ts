import { getDb } from "@/db";
import { createApiTokenForUser, createTokenSchema, listApiTokensForUser, requireSessionActor } from "@/lib/api/tokens";
import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";

export const dynamic = "force-dynamic";

// Tokens belong to a user, not to a workspace, so these routes check no workspace.

/** List the signed-in user's tokens (never the token itself). */
export const GET = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireSessionActor(actor);
  requireCapability(actor, "read");

  const tokens = await listApiTokensForUser(await getDb(), { userId: actor.userId });
  return Response.json({ tokens });
});

/** Create a token; the response is the only time the plain token is shown. */
export const POST = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireSessionActor(actor);
  requireCapability(actor, "read");
  const body = await parseJsonBody(request, createTokenSchema);

  const created = await createApiTokenForUser(await getDb(), { userId: actor.userId, name: body.name });
  return Response.json({ token: created }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);
