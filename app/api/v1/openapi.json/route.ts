import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requireActor, requireCapability } from "@/lib/auth/actor";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

let cached: Record<string, unknown> | undefined;

/** Return the OpenAPI document of the v1 API to any signed-in user or token, because it contains no workspace data. */
export const GET = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "read");

  cached ??= buildOpenApiDocument();
  return Response.json(cached);
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET"]);
