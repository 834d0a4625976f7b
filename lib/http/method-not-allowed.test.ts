import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { localizeServerError, parseServerErrorBody } from "@/lib/i18n/server-errors";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { isMethodNotAllowedHandler, methodsNotAllowed } from "./method-not-allowed";

// biome-ignore lint/suspicious/noExplicitAny: this is the type next-intl itself uses for undeclared messages.
type UntypedMessages = Record<string, any>;

const noParams = { params: Promise.resolve({}) };

interface ErrorBody {
  error: { code: string; message: string; details?: { params?: Record<string, string> } };
}

function send(method: string, path = "/api/v1/runs/run-1"): Request {
  return new Request(`http://127.0.0.1${path}`, { method });
}

describe("methodsNotAllowed", () => {
  it("rejects a missing method with JSON 405", async () => {
    const { PUT } = methodsNotAllowed(["GET", "POST"]);

    const response = await PUT(send("PUT"), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(405);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(body.error.code).toBe("method_not_allowed");
    expect(body.error.message).toBe("PUT is not allowed on /api/v1/runs/run-1. Use GET or POST.");
    expect(body.error.details).toEqual({ params: { method: "PUT", allowed: "GET, POST" } });
  });

  it("echoes the request id", async () => {
    const { DELETE } = methodsNotAllowed(["GET"]);
    const request = new Request("http://127.0.0.1/api/health", {
      method: "DELETE",
      headers: { "x-request-id": "r-1" },
    });

    const response = await DELETE(request, noParams);

    expect(response.headers.get("x-request-id")).toBe("r-1");
  });

  it("returns a handler for every method not listed", () => {
    const handlers = methodsNotAllowed(["GET", "PATCH", "DELETE"]);

    expect(Object.keys(handlers).sort()).toEqual(["OPTIONS", "POST", "PUT"]);
  });

  it("lists methods in ROUTE_METHODS order", async () => {
    const { POST } = methodsNotAllowed(["DELETE", "PATCH", "GET"]);

    const response = await POST(send("POST"), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.headers.get("allow")).toBe("GET, PATCH, DELETE, HEAD, OPTIONS");
    expect(body.error.message).toBe("POST is not allowed on /api/v1/runs/run-1. Use GET, PATCH or DELETE.");
  });

  it("leaves HEAD out of Allow without GET", async () => {
    const { GET } = methodsNotAllowed(["POST"]);

    const response = await GET(send("GET"), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
    expect(body.error.message).toBe("GET is not allowed on /api/v1/runs/run-1. Use POST.");
  });

  it("returns 204 and Allow for OPTIONS", async () => {
    const { OPTIONS } = methodsNotAllowed(["GET", "POST"]);

    const response = await OPTIONS(send("OPTIONS"), noParams);

    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("rejects an empty list", () => {
    expect(() => methodsNotAllowed([])).toThrow("empty list");
  });

  it("marks only its own handlers", () => {
    const { PATCH, OPTIONS } = methodsNotAllowed(["GET"]);

    expect(isMethodNotAllowedHandler(PATCH)).toBe(true);
    expect(isMethodNotAllowedHandler(OPTIONS)).toBe(true);
    expect(isMethodNotAllowedHandler(async () => new Response())).toBe(false);
    expect(isMethodNotAllowedHandler(undefined)).toBe(false);
  });

  it("sends params that the catalogs can format", async () => {
    const { PATCH } = methodsNotAllowed(["GET", "POST"]);
    const response = await PATCH(send("PATCH"), noParams);
    const error = parseServerErrorBody(await response.json());
    const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "serverErrors" });
    const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "serverErrors" });

    expect(error).toBeDefined();
    if (!error) return;
    expect(localizeServerError(error, english)).toBe(
      "PATCH is not allowed on this API endpoint. Allowed methods: GET, POST.",
    );
    expect(localizeServerError(error, french)).toBe(
      "La méthode PATCH n’est pas autorisée pour cette adresse de l’API. Méthodes autorisées : GET, POST.",
    );
  });
});
