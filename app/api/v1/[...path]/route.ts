import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/**
 * Return the API's JSON 404 for a path under `/api/v1` that no route matches, instead of the HTML
 * 404 page. Next.js picks every more specific route first.
 */
const noSuchEndpoint = apiRoute(async ({ request }) => {
  const { pathname } = new URL(request.url);
  throw new AppError(
    404,
    "not_found",
    `No API endpoint matches ${request.method} ${pathname}. The endpoints are listed in /api/v1/openapi.json.`,
  );
});

export const GET = noSuchEndpoint;
export const POST = noSuchEndpoint;
export const PUT = noSuchEndpoint;
export const PATCH = noSuchEndpoint;
export const DELETE = noSuchEndpoint;
