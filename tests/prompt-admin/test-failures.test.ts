import { afterAll, beforeAll, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listPromptVersions } from "@/db/queries/prompts";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import type { PublishGates } from "@/lib/prompt-admin/publishing";
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

const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const matrixRoute = await import("@/app/api/admin/prompts/[key]/test-runs/[testRunId]/route");
const gates = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/[versionId]/gates/route");

const KEY = "prioritizer";

describeEachEngine("failing prompt test cells", (engine) => {
  let harness: PromptAdminHarness;
  let matrix: TestMatrix;

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    // The no-evidence case keeps getting values off their scale; the injection case is filtered.
    harness.simulator.setFaultRules([
      { match: "Mode sombre", fault: "invalid_value", times: 100 },
      { match: "Ignore all previous instructions", fault: "content_filter", times: 100 },
    ]);

    const editor = harness.users.editor.headers;
    const response = await testRuns.POST(
      jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "POST", editor, {}),
      routeContext({ key: KEY }),
    );
    const { testRun } = await response.json();
    matrix = await waitFor(async () => {
      const view: TestMatrix = await (
        await matrixRoute.GET(
          jsonRequest(`${BASE_URL}/${KEY}/test-runs/${testRun.id}`, "GET", editor),
          routeContext({ key: KEY, testRunId: testRun.id }),
        )
      ).json();
      return view.status !== "running" && view.status !== "queued" && view.totals.pending === 0 ? view : undefined;
    }, 60_000);
  }, 90_000);

  afterAll(async () => {
    await harness?.close();
  });

  const cellsOf = (name: string) => {
    const testCase = matrix.cases.find((entry) => entry.name === name);
    return matrix.cells.filter((cell) => cell.caseId === testCase?.id);
  };

  it("ends the run partial", () => {
    expect(matrix.status).toBe("partial");
    expect(matrix.totals).toEqual({ passed: 2, failed: 2, error: 2, pending: 0 });
  });

  it("reports an answer that stays invalid as failed, with the schema errors", () => {
    const cells = cellsOf("Élément sans preuve : preuves insuffisantes");

    expect(cells.map((cell) => cell.state)).toEqual(["failed", "failed"]);
    expect(cells[0]?.result?.outcome).toBe("invalid");
    expect(cells[0]?.result?.validationErrors[0]?.path).toMatch(/^items\[0\]\.proposals\[0\]/);
    expect(cells[0]?.result?.attempts).toBe(4);
    expect(cells[0]?.result?.assertionResults.find((entry) => entry.kind === "parses")?.passed).toBe(true);
    expect(cells[0]?.result?.assertionResults.find((entry) => entry.kind === "matches_schema")?.passed).toBe(false);
  });

  it("reports a filtered prompt as an error", () => {
    const cells = cellsOf("WSJF: instructions inside evidence are ignored");

    expect(cells.map((cell) => cell.state)).toEqual(["error", "error"]);
    expect(cells[0]?.result?.outcome).toBe("content_filtered");
    expect(cells[0]?.result?.error?.message).toBeTruthy();
  });

  it("keeps the publish gate closed on the tested version", async () => {
    const [version] = await listPromptVersions(harness.handle.db, { key: KEY, language: "en" });
    const response = await gates.GET(
      jsonRequest(`${BASE_URL}/${KEY}/languages/en/versions/${version?.id}/gates`, "GET", harness.users.editor.headers),
      routeContext({ key: KEY, language: "en", versionId: version?.id ?? "" }),
    );
    const body: PublishGates = await response.json();

    expect(body.allowed).toBe(false);
    expect(body.tests.cases.map((entry) => entry.verdict).sort()).toEqual(["error", "failed", "passed"]);
  });
});
