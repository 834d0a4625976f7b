import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { describeEachEngine } from "@/lib/testing/database";
import { BASE_URL, createPromptAdminHarness, jsonRequest, type PromptAdminHarness, routeContext } from "./harness";

// The routes read the process-wide database, gateway and pipeline; point them at this test's.
const current = vi.hoisted(() => ({
  handle: undefined as DatabaseHandle | undefined,
  gateway: undefined as Gateway | undefined,
  runtime: undefined as PipelineRuntime | undefined,
}));
vi.mock("@/db", () => ({ getDatabase: async () => current.handle, getDb: async () => current.handle?.db }));
vi.mock("@/lib/ai", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/ai")>()),
  getGateway: () => current.gateway,
  getModelInfo: () => current.gateway?.getModelInfo(),
}));
vi.mock("@/lib/pipeline/app-runtime", () => ({ getPipelineRuntime: async () => current.runtime }));

const preview = await import("@/app/api/admin/prompts/[key]/preview/route");
const gate = await import("@/app/api/admin/prompts/[key]/gate/route");
const diff = await import("@/app/api/admin/prompts/[key]/diff/route");
const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const tests = await import("@/app/api/admin/prompts/[key]/tests/route");
const testCase = await import("@/app/api/admin/prompts/[key]/tests/[caseId]/route");
const runOne = await import("@/app/api/admin/prompts/[key]/tests/run/route");
const exportRoute = await import("@/app/api/admin/prompts/[key]/fine-tuning/export/route");
const validate = await import("@/app/api/admin/prompts/[key]/fine-tuning/validate/route");
const jobs = await import("@/app/api/admin/prompts/[key]/fine-tuning/jobs/route");
const draft = await import("@/app/api/admin/prompts/[key]/languages/[language]/draft/route");
const versions = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/route");
const publish = await import("@/app/api/admin/prompts/[key]/languages/[language]/publish/route");
const rollback = await import("@/app/api/admin/prompts/[key]/languages/[language]/rollback/route");

type Handler = (request: Request, context: ReturnType<typeof routeContext>) => Promise<Response>;

const KEY = "summarizer";
const MISSING_CASE_ID = "00000000-0000-4000-8000-000000000000";

/** Routes of one prompt, each called with a body or query that it rejects as invalid. */
const keyRoutes: Array<{ name: string; handler: Handler; method: string; path: string; body?: unknown }> = [
  { name: "POST preview", handler: preview.POST, method: "POST", path: "/preview", body: {} },
  { name: "PUT gate", handler: gate.PUT, method: "PUT", path: "/gate", body: {} },
  { name: "GET diff", handler: diff.GET, method: "GET", path: "/diff?from=x" },
  { name: "GET test runs", handler: testRuns.GET, method: "GET", path: "/test-runs?limit=abc" },
  { name: "POST test runs", handler: testRuns.POST, method: "POST", path: "/test-runs", body: { targets: 5 } },
  { name: "POST test case", handler: tests.POST, method: "POST", path: "/tests", body: {} },
  { name: "POST one test", handler: runOne.POST, method: "POST", path: "/tests/run", body: {} },
  { name: "GET export", handler: exportRoute.GET, method: "GET", path: "/fine-tuning/export?from=x" },
  { name: "POST validate", handler: validate.POST, method: "POST", path: "/fine-tuning/validate", body: {} },
  { name: "POST job", handler: jobs.POST, method: "POST", path: "/fine-tuning/jobs", body: {} },
];

/** Routes of one prompt language, each called with an invalid body. */
const languageRoutes: Array<{ name: string; handler: Handler; path: string }> = [
  { name: "PUT draft", handler: draft.PUT, path: "/draft" },
  { name: "POST version", handler: versions.POST, path: "/versions" },
  { name: "POST publish", handler: publish.POST, path: "/publish" },
  { name: "POST rollback", handler: rollback.POST, path: "/rollback" },
];

describeEachEngine("prompt admin URL checks before input", (engine) => {
  let harness: PromptAdminHarness;
  let admin: Record<string, string>;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    admin = harness.users.admin.headers;
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function resourceOf(response: Response): Promise<unknown> {
    const body = (await response.json()) as { error: { details?: { params?: { resource?: string } } } };
    return body.error.details?.params?.resource;
  }

  it.each(keyRoutes)("$name answers 404 for an unknown prompt", async ({ handler, method, path, body }) => {
    const response = await handler(
      jsonRequest(`${BASE_URL}/nosuch${path}`, method, admin, body),
      routeContext({ key: "nosuch" }),
    );

    expect(response.status).toBe(404);
    expect(await resourceOf(response)).toBe("prompt");
  });

  it.each(keyRoutes)(
    "$name answers 400 for invalid input to a known prompt",
    async ({ handler, method, path, body }) => {
      const response = await handler(
        jsonRequest(`${BASE_URL}/${KEY}${path}`, method, admin, body),
        routeContext({ key: KEY }),
      );

      expect(response.status).toBe(400);
    },
  );

  it.each(languageRoutes)("$name answers 404 for an unknown prompt", async ({ handler, path }) => {
    const response = await handler(
      jsonRequest(`${BASE_URL}/nosuch/languages/en${path}`, "POST", admin, {}),
      routeContext({ key: "nosuch", language: "en" }),
    );

    expect(response.status).toBe(404);
    expect(await resourceOf(response)).toBe("prompt");
  });

  it.each(languageRoutes)("$name answers 404 for a malformed language", async ({ handler, path }) => {
    const response = await handler(
      jsonRequest(`${BASE_URL}/${KEY}/languages/not_a_language${path}`, "POST", admin, {}),
      routeContext({ key: KEY, language: "not_a_language" }),
    );

    expect(response.status).toBe(404);
    expect(await resourceOf(response)).toBe("language");
  });

  it.each(languageRoutes)("$name answers 400 for invalid input", async ({ handler, path }) => {
    const response = await handler(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en${path}`, "POST", admin, {}),
      routeContext({ key: KEY, language: "en" }),
    );

    expect(response.status).toBe(400);
  });

  it("answers 404 for an unknown test case before its input", async () => {
    const response = await testCase.PUT(
      jsonRequest(`${BASE_URL}/${KEY}/tests/${MISSING_CASE_ID}`, "PUT", admin, {}),
      routeContext({ key: KEY, caseId: MISSING_CASE_ID }),
    );

    expect(response.status).toBe(404);
    expect(await resourceOf(response)).toBe("test_case");
  });
});
