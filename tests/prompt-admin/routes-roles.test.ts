import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getTestPolicy, listTestCases, listTestRuns } from "@/db/queries/prompt-tests";
import { getPromptDraft, getPromptPublication, listPromptVersions } from "@/db/queries/prompts";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { describeEachEngine } from "@/lib/testing/database";
import {
  BASE_URL,
  createPromptAdminHarness,
  jsonRequest,
  type PromptAdminHarness,
  type RoleName,
  routeContext,
} from "./harness";

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

const gate = await import("@/app/api/admin/prompts/[key]/gate/route");
const draft = await import("@/app/api/admin/prompts/[key]/languages/[language]/draft/route");
const versions = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/route");
const publish = await import("@/app/api/admin/prompts/[key]/languages/[language]/publish/route");
const rollback = await import("@/app/api/admin/prompts/[key]/languages/[language]/rollback/route");
const tests = await import("@/app/api/admin/prompts/[key]/tests/route");
const testCase = await import("@/app/api/admin/prompts/[key]/tests/[caseId]/route");
const runOne = await import("@/app/api/admin/prompts/[key]/tests/run/route");
const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const exportRoute = await import("@/app/api/admin/prompts/[key]/fine-tuning/export/route");
const validate = await import("@/app/api/admin/prompts/[key]/fine-tuning/validate/route");
const jobs = await import("@/app/api/admin/prompts/[key]/fine-tuning/jobs/route");
const job = await import("@/app/api/admin/prompts/[key]/fine-tuning/jobs/[jobId]/route");
const audit = await import("@/app/api/admin/prompts/audit/route");
const list = await import("@/app/api/admin/prompts/route");
const detail = await import("@/app/api/admin/prompts/[key]/route");
const history = await import("@/app/api/admin/prompts/[key]/languages/[language]/history/route");
const preview = await import("@/app/api/admin/prompts/[key]/preview/route");
const version = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/[versionId]/route");

const KEY = "summarizer";
const content = { systemText: "Summarise $theme as JSON.", userTemplate: "<feedback>\n$feedback\n</feedback>" };
const parameters = { preset: "analytical", overrides: {} };

describeEachEngine("prompt admin routes by role", (engine) => {
  let harness: PromptAdminHarness;
  let latestEnId: string;
  let caseId: string;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    const [latest] = await listPromptVersions(harness.handle.db, { key: KEY, language: "en" });
    latestEnId = latest?.id ?? "";
    caseId = (await listTestCases(harness.handle.db, { promptKey: KEY }))[0]?.id ?? "";
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** Read routes of the prompt admin, which only roles with `readPrompts` (editors and admins) may call. */
  const readRoutes: Array<{ name: string; call: (headers: Record<string, string>) => Promise<Response> }> = [
    { name: "GET list", call: (headers) => list.GET(jsonRequest(BASE_URL, "GET", headers), routeContext({})) },
    {
      name: "GET prompt",
      call: (headers) => detail.GET(jsonRequest(`${BASE_URL}/${KEY}`, "GET", headers), routeContext({ key: KEY })),
    },
    {
      name: "GET history",
      call: (headers) =>
        history.GET(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/history`, "GET", headers),
          routeContext({ key: KEY, language: "en" }),
        ),
    },
    {
      name: "GET version",
      call: (headers) =>
        version.GET(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/versions/${latestEnId}`, "GET", headers),
          routeContext({ key: KEY, language: "en", versionId: latestEnId }),
        ),
    },
    {
      name: "GET test cases",
      call: (headers) => tests.GET(jsonRequest(`${BASE_URL}/${KEY}/tests`, "GET", headers), routeContext({ key: KEY })),
    },
    {
      name: "GET test runs",
      call: (headers) =>
        testRuns.GET(jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "GET", headers), routeContext({ key: KEY })),
    },
    {
      name: "POST preview",
      call: (headers) =>
        preview.POST(
          jsonRequest(`${BASE_URL}/${KEY}/preview`, "POST", headers, { language: "en", ...content, parameters }),
          routeContext({ key: KEY }),
        ),
    },
  ];

  /** Each write route with a body that an editor could send successfully. */
  const writeRoutes: Array<{ name: string; call: (headers: Record<string, string>) => Promise<Response> }> = [
    {
      name: "PUT gate",
      call: (headers) =>
        gate.PUT(
          jsonRequest(`${BASE_URL}/${KEY}/gate`, "PUT", headers, { requirePassingTests: true }),
          routeContext({ key: KEY }),
        ),
    },
    {
      name: "PUT draft",
      call: (headers) =>
        draft.PUT(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/draft`, "PUT", headers, {
            ...content,
            parameters,
            baseVersionId: latestEnId,
            baseDraftRevision: null,
          }),
          routeContext({ key: KEY, language: "en" }),
        ),
    },
    {
      name: "POST version",
      call: (headers) =>
        versions.POST(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/versions`, "POST", headers, {
            ...content,
            parameters,
            baseVersionId: latestEnId,
            note: "Shorter",
          }),
          routeContext({ key: KEY, language: "en" }),
        ),
    },
    {
      name: "POST publish",
      call: (headers) =>
        publish.POST(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/publish`, "POST", headers, {
            versionId: latestEnId,
            basePublishedVersionId: latestEnId,
          }),
          routeContext({ key: KEY, language: "en" }),
        ),
    },
    {
      name: "POST rollback",
      call: (headers) =>
        rollback.POST(
          jsonRequest(`${BASE_URL}/${KEY}/languages/en/rollback`, "POST", headers, {
            versionId: latestEnId,
            basePublishedVersionId: latestEnId,
            note: "Back to the reviewed text",
          }),
          routeContext({ key: KEY, language: "en" }),
        ),
    },
    {
      name: "POST test case",
      call: (headers) =>
        tests.POST(
          jsonRequest(`${BASE_URL}/${KEY}/tests`, "POST", headers, {
            name: "Added by a test",
            language: "en",
            variables: { theme: "Export" },
            assertions: [{ kind: "parses" }],
          }),
          routeContext({ key: KEY }),
        ),
    },
    {
      name: "PUT test case",
      call: (headers) =>
        testCase.PUT(
          jsonRequest(`${BASE_URL}/${KEY}/tests/${caseId}`, "PUT", headers, {
            name: "Renamed",
            language: "en",
            variables: {},
            assertions: [{ kind: "parses" }],
          }),
          routeContext({ key: KEY, caseId }),
        ),
    },
    {
      name: "DELETE test case",
      call: (headers) =>
        testCase.DELETE(
          jsonRequest(`${BASE_URL}/${KEY}/tests/${caseId}`, "DELETE", headers),
          routeContext({ key: KEY, caseId }),
        ),
    },
    {
      name: "POST run one case",
      call: (headers) =>
        runOne.POST(
          jsonRequest(`${BASE_URL}/${KEY}/tests/run`, "POST", headers, {
            caseId,
            language: "en",
            versionId: latestEnId,
          }),
          routeContext({ key: KEY }),
        ),
    },
    {
      name: "POST run all",
      call: (headers) =>
        testRuns.POST(jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "POST", headers, {}), routeContext({ key: KEY })),
    },
    {
      name: "GET fine-tuning export",
      call: (headers) =>
        exportRoute.GET(
          jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/export?from=2026-01-01&to=2026-12-31`, "GET", headers),
          routeContext({ key: KEY }),
        ),
    },
    {
      name: "POST fine-tuning validate",
      call: (headers) =>
        validate.POST(
          jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/validate`, "POST", headers, { jsonl: "{}" }),
          routeContext({ key: KEY }),
        ),
    },
  ];

  /** Routes for admins alone: editors get 403 too. */
  const adminRoutes: Array<{ name: string; call: (headers: Record<string, string>) => Promise<Response> }> = [
    {
      name: "POST fine-tuning job",
      call: (headers) =>
        jobs.POST(
          jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs`, "POST", headers, { jsonl: "{}" }),
          routeContext({ key: KEY }),
        ),
    },
    {
      name: "GET fine-tuning jobs",
      call: (headers) =>
        jobs.GET(jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs`, "GET", headers), routeContext({ key: KEY })),
    },
    {
      name: "GET fine-tuning job",
      call: (headers) =>
        job.GET(
          jsonRequest(`${BASE_URL}/${KEY}/fine-tuning/jobs/00000000-0000-4000-8000-000000000000`, "GET", headers),
          routeContext({ key: KEY, jobId: "00000000-0000-4000-8000-000000000000" }),
        ),
    },
    {
      name: "GET audit log",
      call: (headers) => audit.GET(jsonRequest(`${BASE_URL}/audit`, "GET", headers), routeContext({})),
    },
  ];

  for (const role of ["viewer", "member"] as RoleName[]) {
    for (const route of [...readRoutes, ...writeRoutes, ...adminRoutes]) {
      it(`${route.name} answers 403 to a ${role}`, async () => {
        const response = await route.call(harness.users[role].headers);
        const body = await response.json();

        expect(response.status).toBe(403);
        expect(body.error.code).toBe("forbidden");
      });
    }
  }

  for (const route of adminRoutes) {
    it(`${route.name} answers 403 to an editor`, async () => {
      expect((await route.call(harness.users.editor.headers)).status).toBe(403);
    });
  }

  it("leaves everything unchanged after refused writes", async () => {
    const db = harness.handle.db;

    expect(await getPromptDraft(db, { key: KEY, language: "en" })).toBeUndefined();
    expect(await listPromptVersions(db, { key: KEY, language: "en" })).toHaveLength(1);
    expect((await getPromptPublication(db, { key: KEY, language: "en" }))?.versionId).toBe(latestEnId);
    expect(await getTestPolicy(db, { promptKey: KEY })).toBeUndefined();
    expect((await listTestCases(db, { promptKey: KEY })).map((entry) => entry.name)).not.toContain("Added by a test");
    expect(await listTestRuns(db, { promptKey: KEY, limit: 10 })).toEqual([]);
  });

  for (const role of ["editor", "admin"] as RoleName[]) {
    it(`lets an ${role} call every read route`, async () => {
      const statuses: Record<string, number> = {};
      for (const route of readRoutes) statuses[route.name] = (await route.call(harness.users[role].headers)).status;

      expect(statuses).toEqual(Object.fromEntries(readRoutes.map((route) => [route.name, 200])));
    });
  }
});
