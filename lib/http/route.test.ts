import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError, notFound } from "@/lib/errors";
import { logger, serializeError } from "@/lib/logger";
import { MAX_LISTED_UNKNOWN_KEYS, strictObjectWithFieldList } from "@/lib/validation";
import { apiRoute, MAX_JSON_BODY_BYTES, parseJsonBody, parseSearchParams } from "./route";

// TRUST_PROXY is read once per process, so the tests switch it through this mutable value.
const proxySetting = vi.hoisted(() => ({ trusted: false }));
vi.mock("@/lib/env", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/env")>();
  return { ...actual, getEnv: () => ({ ...actual.getEnv(), TRUST_PROXY: proxySetting.trusted }) };
});

const itemSchema = z.object({ title: z.string().min(1), reach: z.number().int().min(0) });

const createItem = apiRoute(async ({ request }) => {
  const body = await parseJsonBody(request, itemSchema);
  return Response.json({ created: body.title }, { status: 201 });
});

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1/api/items", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

const noParams = { params: Promise.resolve({}) };

interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[]; requestId?: string };
}

describe("apiRoute", () => {
  it("passes a valid body to the handler", async () => {
    const response = await createItem(post(JSON.stringify({ title: "Export", reach: 10 })), noParams);

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: "Export" });
  });

  it("rejects malformed JSON with 400 naming the body", async () => {
    const response = await createItem(post("{ not json"), noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: { field?: string } } };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("not valid JSON");
    expect(body.error.details?.field).toBe("body");
  });

  it("rejects a JSON body over the limit with 413", async () => {
    const oversized = JSON.stringify({ title: "x".repeat(MAX_JSON_BODY_BYTES), reach: 1 });
    // A stream without Content-Length, so the cap applies while reading and not to a declared size.
    const streamed = new Request("http://127.0.0.1/api/items", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new Blob([oversized]).stream(),
      duplex: "half",
    } as RequestInit);
    const response = await createItem(streamed, noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: { field?: string } } };

    expect(response.status).toBe(413);
    expect(body.error.code).toBe("body_too_large");
    expect(body.error.details?.field).toBe("body");
  });

  it("applies a route's own body limit", async () => {
    const smallLimit = apiRoute(async ({ request }) => {
      await parseJsonBody(request, itemSchema, { maxBytes: 100 });
      return new Response(null, { status: 204 });
    });

    expect((await smallLimit(post(JSON.stringify({ title: "x".repeat(50), reach: 1 })), noParams)).status).toBe(204);
    expect((await smallLimit(post(JSON.stringify({ title: "x".repeat(200), reach: 1 })), noParams)).status).toBe(413);
  });

  it("rejects a missing field with 400 naming it", async () => {
    const response = await createItem(post(JSON.stringify({ reach: 10 })), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.fields?.map((field) => field.path)).toEqual(["title"]);
    expect(body.error.message).toContain("title");
  });

  it("rejects a wrong type with 400 naming the field", async () => {
    const response = await createItem(post(JSON.stringify({ title: "Export", reach: "lots" })), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.error.fields?.map((field) => field.path)).toEqual(["reach"]);
    expect(body.error.message).toContain("reach");
  });

  it("names nested fields with their path", async () => {
    const route = apiRoute(async ({ request }) => {
      await parseJsonBody(request, z.object({ items: z.array(itemSchema) }));
      return new Response(null, { status: 204 });
    });

    const response = await route(post(JSON.stringify({ items: [{ title: "a", reach: 1 }, { title: "b" }] })), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.error.fields?.map((field) => field.path)).toEqual(["items[1].reach"]);
  });

  it("returns an AppError's status and code", async () => {
    const route = apiRoute(async () => {
      throw new AppError(409, "version_conflict", "The item changed since you loaded it.");
    });

    const response = await route(post("{}"), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(409);
    expect(body.error).toEqual({ code: "version_conflict", message: "The item changed since you loaded it." });
  });

  it("returns 404 for notFound with its resource", async () => {
    const route = apiRoute(async () => {
      throw notFound("workspace");
    });

    const response = await route(post("{}"), noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: Record<string, unknown> } };

    expect(response.status).toBe(404);
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toBe("Workspace not found.");
    expect(body.error.details).toEqual({ params: { resource: "workspace" } });
  });

  it("hides an unknown error behind a generic 500", async () => {
    const route = apiRoute(async () => {
      throw new Error("connection to db.example.internal failed: password authentication failed for user admin");
    });

    const response = await route(post("{}", { "x-request-id": "req-123" }), noParams);
    const text = await response.text();
    const body = JSON.parse(text) as ErrorBody;

    expect(response.status).toBe(500);
    expect(body.error.code).toBe("internal_error");
    expect(body.error.requestId).toBe("req-123");
    expect(text).not.toContain("password");
    expect(text).not.toContain("db.example.internal");
    expect(text).not.toContain("stack");
  });

  it("logs a database error's SQLSTATE and constraint", async () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "item_key"'), {
      code: "23505",
      severity: "ERROR",
      schema_name: "public",
      table_name: "backlog_item",
      constraint_name: "item_key",
      detail: "Key (external_id)=(secret-value-7) already exists.",
    });
    const route = apiRoute(async () => {
      throw new Error("Failed query: insert into backlog_item values ($1)\nparams: secret-value-7", {
        cause: driverError,
      });
    });
    const errorSpy = vi.fn();
    const childSpy = vi
      .spyOn(logger, "child")
      .mockReturnValue({ error: errorSpy, warn: vi.fn(), info: vi.fn() } as unknown as ReturnType<typeof logger.child>);

    try {
      const response = await route(post("{}"), noParams);
      expect(response.status).toBe(500);
    } finally {
      childSpy.mockRestore();
    }

    expect(errorSpy).toHaveBeenCalledTimes(1);
    const [fields] = errorSpy.mock.calls[0] ?? [];
    expect(fields).toMatchObject({
      database: { code: "23505", table: "backlog_item", constraint: "item_key", schema: "public", severity: "ERROR" },
    });
    expect(JSON.stringify((fields as { database: unknown }).database)).not.toContain("secret-value-7");
    expect(JSON.stringify(serializeError((fields as { err: unknown }).err))).not.toContain("secret-value-7");
  });

  it("echoes the request id header", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { "x-request-id": "abc" }),
      noParams,
    );

    expect(response.headers.get("x-request-id")).toBe("abc");
  });

  it("passes route params to the handler", async () => {
    const route = apiRoute<{ workspaceId: string }>(async ({ params }) => Response.json(params));

    const response = await route(post("{}"), { params: Promise.resolve({ workspaceId: "w1" }) });

    expect(await response.json()).toEqual({ workspaceId: "w1" });
  });
});

describe("apiRoute input guards", () => {
  it("rejects a lone high surrogate with 400 naming the field", async () => {
    const response = await createItem(post('{"title":"a\\ud800b","reach":1}'), noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: { field?: string } } };

    expect(response.status).toBe(400);
    expect(body.error.details?.field).toBe("title");
    expect(body.error.message).toContain("surrogate");
  });

  it("rejects a lone low surrogate in a key", async () => {
    const response = await createItem(post('{"title":"ok","reach":1,"x\\udc00":1}'), noParams);

    expect(response.status).toBe(400);
  });

  it("accepts a correctly paired surrogate (emoji)", async () => {
    const response = await createItem(post(JSON.stringify({ title: "Export \u{1F680}", reach: 1 })), noParams);

    expect(response.status).toBe(201);
  });

  it("rejects 200,000 nested arrays with 400 naming the field", async () => {
    const deep = `{"title":"deep","reach":1,"links":${"[".repeat(200_000)}${"]".repeat(200_000)}}`;
    const response = await createItem(post(deep), noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: { field?: string } } };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.details?.field).toBe("links");
    expect(body.error.message).toContain("64 levels");
  });

  it("caps the unknown fields listed in a 400", async () => {
    const strictRoute = apiRoute(async ({ request }) => {
      await parseJsonBody(request, strictObjectWithFieldList({ title: z.string() }));
      return new Response(null, { status: 204 });
    });
    const unknownKeys = Object.fromEntries(Array.from({ length: 200_000 }, (_, index) => [`field${index}`, 1]));
    // The route logs through `logger.child`, so it gets a child whose warn calls are recorded.
    const childLogger = logger.child<string>({});
    const child = vi.spyOn(logger, "child").mockReturnValue(childLogger);
    const logged = vi.spyOn(childLogger, "warn");
    try {
      const response = await strictRoute(post(JSON.stringify({ title: "x", ...unknownKeys })), noParams);
      const text = await response.text();
      const body = JSON.parse(text) as ErrorBody;

      expect(response.status).toBe(400);
      expect(body.error.fields).toHaveLength(MAX_LISTED_UNKNOWN_KEYS);
      expect(body.error.message).toContain("and 199980 more unknown fields");
      expect(text.length).toBeLessThan(10_000);
      expect(logged).toHaveBeenCalledOnce();
      expect(JSON.stringify(logged.mock.calls).length).toBeLessThan(10_000);
    } finally {
      child.mockRestore();
      logged.mockRestore();
    }
  });

  it("rejects a text/plain body with 415", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { "content-type": "text/plain;charset=UTF-8" }),
      noParams,
    );
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(415);
    expect(body.error.code).toBe("unsupported_media_type");
  });

  it("rejects invalid UTF-8 with 400 naming the body", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"title":"bad '),
      0xff,
      0xfe,
      ...new TextEncoder().encode(' utf","reach":1}'),
    ]);
    const response = await createItem(post(bytes as unknown as string), noParams);
    const body = (await response.json()) as ErrorBody & { error: { details?: { field?: string; reason?: string } } };

    expect(response.status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    expect(body.error.details?.field).toBe("body");
    expect(body.error.details?.reason).toBe("json_body_not_utf8");
    expect(body.error.message).toContain("Send the JSON body encoded as UTF-8");
  });

  it("rejects a UTF-8 surrogate encoded as bytes", async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"title":"'), 0xed, 0xa0, 0x80, 0x22, 0x7d]);
    const response = await createItem(post(bytes as unknown as string), noParams);

    expect(response.status).toBe(400);
  });

  it("rejects a Latin-1 charset with 415", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"title":"caf'),
      0xe9,
      ...new TextEncoder().encode('","reach":1}'),
    ]);
    const response = await createItem(
      post(bytes as unknown as string, { "content-type": "application/json; charset=iso-8859-1" }),
      noParams,
    );
    const body = (await response.json()) as ErrorBody & {
      error: { details?: { field?: string; reason?: string; params?: { charset?: string } } };
    };

    expect(response.status).toBe(415);
    expect(body.error.code).toBe("unsupported_media_type");
    expect(body.error.details?.reason).toBe("json_charset_unsupported");
    expect(body.error.details?.params?.charset).toBe("iso-8859-1");
    expect(body.error.message).toContain("UTF-8");
  });

  it("rejects a Latin-1 charset even with ASCII bytes", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { "content-type": 'application/json;charset="ISO-8859-1"' }),
      noParams,
    );

    expect(response.status).toBe(415);
  });

  it.each([
    "application/json; charset=utf-8",
    "application/json;charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json; charset=utf8",
  ])("accepts UTF-8 declared as %s", async (contentType) => {
    const response = await createItem(
      post(JSON.stringify({ title: "Café 💡", reach: 1 }), { "content-type": contentType }),
      noParams,
    );

    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ created: "Café 💡" });
  });

  it("accepts a JSON body that starts with a byte order mark", async () => {
    const response = await createItem(post(`\uFEFF${JSON.stringify({ title: "Export", reach: 1 })}`), noParams);

    expect(response.status).toBe(201);
  });

  it("accepts a JSON body without a content type", async () => {
    const request = new Request("http://127.0.0.1/api/items", {
      method: "POST",
      body: JSON.stringify({ title: "Export", reach: 1 }),
    });
    request.headers.delete("content-type");
    const response = await createItem(request, noParams);

    expect(response.status).toBe(201);
  });

  it("rejects a write from another origin with 403", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { origin: "https://evil.example", host: "127.0.0.1" }),
      noParams,
    );
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(403);
    expect(body.error.code).toBe("cross_origin_rejected");
  });

  it("accepts a write from its own origin", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" }),
      noParams,
    );

    expect(response.status).toBe(201);
  });

  it("names the error of a cross-site write without Origin", async () => {
    const response = await createItem(
      post(JSON.stringify({ title: "Export", reach: 1 }), { "sec-fetch-site": "cross-site", host: "127.0.0.1" }),
      noParams,
    );
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(403);
    expect(body.error.code).toBe("cross_origin_rejected");
  });

  it.each([
    [
      "cross-site with a matching Origin",
      { "sec-fetch-site": "cross-site", origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" },
      403,
    ],
    ["same-origin", { "sec-fetch-site": "same-origin", host: "127.0.0.1" }, 201],
    ["none", { "sec-fetch-site": "none", host: "127.0.0.1" }, 201],
    ["no Sec-Fetch-Site or Origin", { host: "127.0.0.1" }, 201],
    [
      "same-site from another origin",
      { "sec-fetch-site": "same-site", origin: "https://other.rankwise.example", host: "rankwise.example" },
      403,
    ],
  ])("answers a write marked %s", async (_case, headers: Record<string, string>, status) => {
    const response = await createItem(post(JSON.stringify({ title: "Export", reach: 1 }), headers), noParams);

    expect(response.status).toBe(status);
  });

  it("lets a cross-site read through", async () => {
    const read = apiRoute(async () => Response.json({ ok: true }));
    const request = new Request("http://127.0.0.1/api/items", { headers: { "sec-fetch-site": "cross-site" } });
    const response = await read(request, noParams);

    expect(response.status).toBe(200);
  });

  describe("behind a reverse proxy", () => {
    const forwarded = {
      origin: "https://rankwise.example.com",
      host: "127.0.0.1:3000",
      "x-forwarded-host": "rankwise.example.com",
    };
    const send = (headers: Record<string, string>) =>
      createItem(post(JSON.stringify({ title: "Export", reach: 1 }), headers), noParams);

    afterEach(() => {
      proxySetting.trusted = false;
    });

    it("ignores X-Forwarded-Host without TRUST_PROXY", async () => {
      const response = await send(forwarded);
      const body = (await response.json()) as ErrorBody;

      expect(response.status).toBe(403);
      expect(body.error.code).toBe("cross_origin_rejected");
    });

    it("matches X-Forwarded-Host with TRUST_PROXY", async () => {
      proxySetting.trusted = true;

      expect((await send(forwarded)).status).toBe(201);
    });

    it("takes the first X-Forwarded-Host entry with TRUST_PROXY", async () => {
      proxySetting.trusted = true;

      expect((await send({ ...forwarded, "x-forwarded-host": "rankwise.example.com, 10.0.0.5:3000" })).status).toBe(
        201,
      );
      expect((await send({ ...forwarded, "x-forwarded-host": "evil.example, rankwise.example.com" })).status).toBe(403);
    });

    it("rejects another origin with TRUST_PROXY", async () => {
      proxySetting.trusted = true;

      expect((await send({ ...forwarded, origin: "https://evil.example" })).status).toBe(403);
    });

    it("falls back to Host when the proxy sent no X-Forwarded-Host", async () => {
      proxySetting.trusted = true;

      expect((await send({ origin: "http://127.0.0.1:3000", host: "127.0.0.1:3000" })).status).toBe(201);
    });

    it("ignores a forged X-Forwarded-Host on a same-origin write", async () => {
      const response = await send({
        origin: "http://127.0.0.1:3000",
        host: "127.0.0.1:3000",
        "x-forwarded-host": "evil.example",
      });

      expect(response.status).toBe(201);
    });
  });

  it("lets reads from another origin through", async () => {
    const read = apiRoute(async () => Response.json({ ok: true }));
    const request = new Request("http://127.0.0.1/api/items", { headers: { origin: "https://evil.example" } });
    const response = await read(request, noParams);

    expect(response.status).toBe(200);
  });
});

describe("parseSearchParams", () => {
  const schema = z.object({ limit: z.coerce.number().int().max(100), tag: z.array(z.string()).optional() });

  it("parses single and repeated keys", () => {
    const request = new Request("http://127.0.0.1/api/items?limit=5&tag=a&tag=b");

    expect(parseSearchParams(request, schema)).toEqual({ limit: 5, tag: ["a", "b"] });
  });

  it("rejects an invalid value with a 400 naming the key", async () => {
    const route = apiRoute(async ({ request }) => Response.json(parseSearchParams(request, schema)));

    const response = await route(new Request("http://127.0.0.1/api/items?limit=500"), noParams);
    const body = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(body.error.fields?.map((field) => field.path)).toEqual(["limit"]);
  });
});
