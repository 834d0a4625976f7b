import { AppError } from "@/lib/errors";
import { apiRoute, errorResponse } from "./route";

/** HTTP methods that a route file under `app/api` either implements or rejects with 405. */
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export type RouteMethod = (typeof ROUTE_METHODS)[number];

type RouteHandler = ReturnType<typeof apiRoute>;

/** Handlers built by `methodsNotAllowed`, so that tests can tell them from implemented methods. */
const generatedHandlers = new WeakSet<RouteHandler>();

/**
 * Build the handlers of a route file for the methods that it does not implement. Each returns a
 * 405 error in the usual JSON body, with code `method_not_allowed` and an `Allow` header. The
 * result also has an OPTIONS handler with the same `Allow` header, because the automatic OPTIONS
 * response of Next.js 16 would list these 405 handlers as allowed methods.
 *
 * Use it with a destructuring export of the methods that the file does not implement:
 * `export const { PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["GET", "POST"]);`
 */
export function methodsNotAllowed<const Allowed extends RouteMethod>(
  allowed: readonly Allowed[],
): Record<Exclude<RouteMethod, Allowed> | "OPTIONS", RouteHandler> {
  if (allowed.length === 0) {
    throw new Error("methodsNotAllowed received an empty list. Pass the methods that the route file implements.");
  }

  const implemented = ROUTE_METHODS.filter((method) => (allowed as readonly RouteMethod[]).includes(method));
  const allowHeader = formatAllowHeader(implemented);
  const rejectMethod = apiRoute(async ({ request, log, requestId }) => {
    const { pathname } = new URL(request.url);
    const error = new AppError(
      405,
      "method_not_allowed",
      `${request.method} is not allowed on ${pathname}. Use ${joinWithOr(implemented)}.`,
      { params: { method: request.method, allowed: implemented.join(", ") } },
    );
    const response = errorResponse(error, log, requestId);
    response.headers.set("allow", allowHeader);
    return response;
  });
  const describeOptions = apiRoute(async () => new Response(null, { status: 204, headers: { allow: allowHeader } }));
  generatedHandlers.add(rejectMethod);
  generatedHandlers.add(describeOptions);

  const handlers: Partial<Record<RouteMethod | "OPTIONS", RouteHandler>> = { OPTIONS: describeOptions };
  for (const method of ROUTE_METHODS) {
    if (!implemented.includes(method)) handlers[method] = rejectMethod;
  }
  return handlers as Record<Exclude<RouteMethod, Allowed> | "OPTIONS", RouteHandler>;
}

/** Tell whether a route export is a handler built by `methodsNotAllowed`. */
export function isMethodNotAllowedHandler(handler: unknown): boolean {
  return typeof handler === "function" && generatedHandlers.has(handler as RouteHandler);
}

/**
 * Value of the `Allow` header: the implemented methods, HEAD when GET is implemented (Next.js
 * handles HEAD with the GET handler), and OPTIONS.
 */
function formatAllowHeader(implemented: readonly RouteMethod[]): string {
  const methods: string[] = [...implemented];
  if (implemented.includes("GET")) methods.push("HEAD");
  methods.push("OPTIONS");
  return methods.join(", ");
}

/** "GET", "GET or POST", "GET, PATCH or DELETE". */
function joinWithOr(methods: readonly string[]): string {
  if (methods.length <= 1) return methods.join("");
  return `${methods.slice(0, -1).join(", ")} or ${methods.at(-1)}`;
}
