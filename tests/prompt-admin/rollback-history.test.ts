import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { getPromptPublication, listPromptVersions } from "@/db/queries/prompts";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import type { TestMatrix } from "@/lib/prompt-admin/test-matrix";
import { describeEachEngine } from "@/lib/testing/database";
import {
  BASE_URL,
  createPromptAdminHarness,
  jsonRequest,
  type PromptAdminHarness,
  routeContext,
  waitFor,
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
const versions = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/route");
const publish = await import("@/app/api/admin/prompts/[key]/languages/[language]/publish/route");
const rollback = await import("@/app/api/admin/prompts/[key]/languages/[language]/rollback/route");
const history = await import("@/app/api/admin/prompts/[key]/languages/[language]/history/route");
const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const matrix = await import("@/app/api/admin/prompts/[key]/test-runs/[testRunId]/route");

const KEY = "summarizer";
const context = routeContext({ key: KEY, language: "en" });

describeEachEngine("rollback to a version never published", (engine) => {
  let harness: PromptAdminHarness;
  let editor: Record<string, string>;
  let v1Id: string;
  let v2Id: string;
  let v3Id: string;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    editor = harness.users.editor.headers;
    const [v1] = await listPromptVersions(harness.handle.db, { key: KEY, language: "en" });
    if (!v1) throw new Error("summarizer has no English version");
    v1Id = v1.id;

    const gateResponse = await gate.PUT(
      jsonRequest(`${BASE_URL}/${KEY}/gate`, "PUT", editor, { requirePassingTests: true }),
      routeContext({ key: KEY }),
    );
    if (gateResponse.status !== 200) throw new Error(`gate update failed with ${gateResponse.status}`);

    const save = async (suffix: string, baseVersionId: string) => {
      const response = await versions.POST(
        jsonRequest(`${BASE_URL}/${KEY}/languages/en/versions`, "POST", editor, {
          systemText: `${v1.systemText}\n${suffix}`,
          userTemplate: v1.userTemplate,
          parameters: v1.parameters,
          baseVersionId,
          note: suffix,
        }),
        context,
      );
      if (response.status !== 201) throw new Error(`version save failed with ${response.status}`);
      return ((await response.json()) as { version: { id: string } }).version.id;
    };
    v2Id = await save("Keep every theme short.", v1.id);
    v3Id = await save("Keep every theme short and concrete.", v2Id);
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  const publishVersion = (versionId: string, basePublishedVersionId: string | null) =>
    publish.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/publish`, "POST", editor, {
        versionId,
        basePublishedVersionId,
        note: "",
      }),
      context,
    );
  const rollBack = (versionId: string, basePublishedVersionId: string | null) =>
    rollback.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/rollback`, "POST", editor, {
        versionId,
        basePublishedVersionId,
        note: "oops",
      }),
      context,
    );
  const liveVersionId = async () =>
    (await getPromptPublication(harness.handle.db, { key: KEY, language: "en" }))?.versionId;

  it("blocks the untested version 2 at publish", async () => {
    const response = await publishVersion(v2Id, v1Id);
    const body = await response.json();

    expect(response.status).toBe(422);
    expect(body.error.code).toBe("publish_blocked");
  });

  it("publishes version 3 once its tests passed", async () => {
    const started = await testRuns.POST(
      jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "POST", editor, { targets: [{ language: "en", versionId: v3Id }] }),
      routeContext({ key: KEY }),
    );
    const testRunId = ((await started.json()) as { testRun: { id: string } }).testRun.id;
    const finished = await waitFor(async () => {
      const response = await matrix.GET(
        jsonRequest(`${BASE_URL}/${KEY}/test-runs/${testRunId}`, "GET", editor),
        routeContext({ key: KEY, testRunId }),
      );
      const view = (await response.json()) as TestMatrix;
      return view.status === "completed" ? view : undefined;
    }, 60_000);
    const response = await publishVersion(v3Id, v1Id);

    expect(finished.totals.failed).toBe(0);
    expect(response.status).toBe(200);
    expect(await liveVersionId()).toBe(v3Id);
  });

  it("rejects a rollback to version 2, naming versionId", async () => {
    const response = await rollBack(v2Id, v3Id);
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.field).toBe("versionId");
    expect(body.error.details.reason).toBe("prompt_rollback_never_published");
    expect(body.error.details.params).toEqual({ key: KEY, language: "en", versionNumber: 2 });
    expect(body.error.message).toContain("Publish it instead");
    expect(await liveVersionId()).toBe(v3Id);
  });

  it("asks for a note when it is missing", async () => {
    const response = await rollback.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/rollback`, "POST", editor, {
        versionId: v1Id,
        basePublishedVersionId: v3Id,
      }),
      context,
    );
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.message).toContain("note: say why you roll back");
  });

  it("answers 409 first to a stale rollback", async () => {
    const response = await rollBack(v2Id, v1Id);

    expect(response.status).toBe(409);
  });

  it("rolls back to version 1, which was live before", async () => {
    const response = await rollBack(v1Id, v3Id);

    expect(response.status).toBe(200);
    expect(await liveVersionId()).toBe(v1Id);
  });

  it("marks the versions published before in the history", async () => {
    const response = await history.GET(jsonRequest(`${BASE_URL}/${KEY}/languages/en/history`, "GET", editor), context);
    const body = (await response.json()) as { versions: Array<{ id: string; publishedBefore: boolean }> };
    const publishedBefore = Object.fromEntries(body.versions.map((entry) => [entry.id, entry.publishedBefore]));

    expect(publishedBefore).toEqual({ [v1Id]: true, [v2Id]: false, [v3Id]: true });
  });
});
