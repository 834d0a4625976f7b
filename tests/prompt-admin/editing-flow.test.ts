import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { listTestCases } from "@/db/queries/prompt-tests";
import { getPromptPublication, listPromptVersions } from "@/db/queries/prompts";
import { getRunById } from "@/db/queries/runs";
import type { Gateway } from "@/lib/ai";
import type { PipelineRuntime } from "@/lib/pipeline/runtime";
import { removeTestCase, seedPromptTests } from "@/lib/prompt-admin/test-cases";
import type { TestStreamEvent } from "@/lib/prompt-admin/test-execution";
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

const versions = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/route");
const gates = await import("@/app/api/admin/prompts/[key]/languages/[language]/versions/[versionId]/gates/route");
const publish = await import("@/app/api/admin/prompts/[key]/languages/[language]/publish/route");
const rollback = await import("@/app/api/admin/prompts/[key]/languages/[language]/rollback/route");
const history = await import("@/app/api/admin/prompts/[key]/languages/[language]/history/route");
const diff = await import("@/app/api/admin/prompts/[key]/diff/route");
const preview = await import("@/app/api/admin/prompts/[key]/preview/route");
const testRuns = await import("@/app/api/admin/prompts/[key]/test-runs/route");
const matrix = await import("@/app/api/admin/prompts/[key]/test-runs/[testRunId]/route");
const runOne = await import("@/app/api/admin/prompts/[key]/tests/run/route");
const tests = await import("@/app/api/admin/prompts/[key]/tests/route");
const audit = await import("@/app/api/admin/prompts/audit/route");
const list = await import("@/app/api/admin/prompts/route");
const draft = await import("@/app/api/admin/prompts/[key]/languages/[language]/draft/route");
const detailRoute = await import("@/app/api/admin/prompts/[key]/route");

const KEY = "prioritizer";

describeEachEngine("prompt admin editing flow", (engine) => {
  let harness: PromptAdminHarness;
  let editor: Record<string, string>;
  let frV1: { id: string; systemText: string; userTemplate: string; parameters: unknown };

  beforeAll(async () => {
    harness = await createPromptAdminHarness(engine);
    current.handle = harness.handle;
    current.gateway = harness.gateway;
    current.runtime = harness.runtime;
    editor = harness.users.editor.headers;
    const [version] = await listPromptVersions(harness.handle.db, { key: KEY, language: "fr" });
    if (!version) throw new Error("prioritizer has no French version");
    frV1 = version;
  }, 60_000);

  afterAll(async () => {
    await harness?.close();
  });

  // $inputs_to_propose appears only in the user template, so dropping it there drops it from the language.
  const droppedTemplate = () => frV1.userTemplate.replace("$inputs_to_propose\n", "");

  const saveFrench = (userTemplate: string, baseVersionId: string | null, note: string) =>
    versions.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/fr/versions`, "POST", editor, {
        systemText: frV1.systemText,
        userTemplate,
        parameters: frV1.parameters,
        baseVersionId,
        note,
      }),
      routeContext({ key: KEY, language: "fr" }),
    );

  const publishFrench = (versionId: string, basePublishedVersionId: string | null, note = "") =>
    publish.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/fr/publish`, "POST", editor, {
        versionId,
        basePublishedVersionId,
        note,
      }),
      routeContext({ key: KEY, language: "fr" }),
    );

  async function readMatrix(testRunId: string): Promise<TestMatrix> {
    const response = await matrix.GET(
      jsonRequest(`${BASE_URL}/${KEY}/test-runs/${testRunId}`, "GET", editor),
      routeContext({ key: KEY, testRunId }),
    );
    return response.json();
  }

  describe("preview", () => {
    it("lints a template that drops a variable", async () => {
      const response = await preview.POST(
        jsonRequest(`${BASE_URL}/${KEY}/preview`, "POST", editor, {
          language: "fr",
          systemText: frV1.systemText,
          userTemplate: droppedTemplate(),
          parameters: frV1.parameters,
        }),
        routeContext({ key: KEY }),
      );
      const body = await response.json();

      expect(response.status).toBe(200);
      expect(body.issues.map((issue: { code: string }) => issue.code)).toEqual(["unused_variable"]);
      expect(body.issues[0].variable).toBe("inputs_to_propose");
    });

    it("marks unknown and invalid placeholders as unresolved", async () => {
      const response = await preview.POST(
        jsonRequest(`${BASE_URL}/${KEY}/preview`, "POST", editor, {
          language: "fr",
          systemText: frV1.systemText,
          userTemplate: `${frV1.userTemplate}\nCoût : $ 5 pour $langue`,
          parameters: frV1.parameters,
        }),
        routeContext({ key: KEY }),
      );
      const body = await response.json();

      expect(body.unresolved.map((entry: { source: string; reason: string }) => [entry.source, entry.reason])).toEqual([
        ["$", "invalid"],
        ["$langue", "undeclared"],
      ]);
      expect(body.messages[1].content).toContain("$langue");
      expect(body.model.simulated).toBe(true);
      expect(body.inputTokens).toBeGreaterThan(100);
      expect(body.parameters.temperature).toBe(0.3);
    });

    it("rejects variables the prompt does not declare", async () => {
      const response = await preview.POST(
        jsonRequest(`${BASE_URL}/${KEY}/preview`, "POST", editor, {
          language: "fr",
          systemText: frV1.systemText,
          userTemplate: frV1.userTemplate,
          parameters: frV1.parameters,
          variables: { langue: "fr" },
        }),
        routeContext({ key: KEY }),
      );
      const body = await response.json();

      expect(response.status).toBe(400);
      expect(body.error.details).toMatchObject({ field: "variables", unknownVariables: ["langue"] });
      expect(body.error.message).toContain("language_name");
    });
  });

  it("rejects a version that drops a variable, naming it", async () => {
    const response = await saveFrench(droppedTemplate(), frV1.id, "Shorter");
    const body = await response.json();

    expect(response.status).toBe(400);
    expect(body.error.details.issues[0].variable).toBe("inputs_to_propose");
  });

  describe("a new French version behind the test gate", () => {
    let frV2Id: string;
    let testRunId: string;

    it("saves the fixed text as version 2", async () => {
      const response = await saveFrench(frV1.userTemplate.replace("ci-dessous", "suivants"), frV1.id, "Plus clair");
      const body = await response.json();
      frV2Id = body.version.id;

      expect(response.status).toBe(201);
      expect(body.version.versionNumber).toBe(2);
    });

    it("blocks the publish until the test cases pass", async () => {
      const response = await publishFrench(frV2Id, frV1.id);
      const body = await response.json();

      expect(response.status).toBe(422);
      expect(body.error.code).toBe("publish_blocked");
      expect(body.error.details.gates.tests.required).toBe(true);
      expect(body.error.details.gates.preview.clean).toBe(true);
    });

    it("runs every case in every language as a pipeline run", async () => {
      const response = await testRuns.POST(
        jsonRequest(`${BASE_URL}/${KEY}/test-runs`, "POST", editor, {
          targets: [{ language: "fr", versionId: frV2Id }],
        }),
        routeContext({ key: KEY }),
      );
      const body = await response.json();
      testRunId = body.testRun.id;
      const finished = await waitFor(async () => {
        const view = await readMatrix(testRunId);
        return view.totals.pending === 0 && view.status === "completed" ? view : undefined;
      }, 60_000);
      const run = await getRunById(harness.handle.db, { runId: body.testRun.pipelineRunId });
      const cases = await listTestCases(harness.handle.db, { promptKey: KEY });

      expect(response.status).toBe(202);
      expect(run?.kind).toBe("prompt_test.prioritization_proposals");
      expect(finished.cells).toHaveLength(cases.length * 2);
      expect(finished.totals.passed).toBe(cases.length * 2);
      expect(
        finished.cells.filter((cell) => cell.language === "fr").every((cell) => cell.result?.versionId === frV2Id),
      ).toBe(true);
      expect(finished.cells[0]?.result?.assertionResults.every((result) => result.passed)).toBe(true);
    });

    it("reports the gates open once the cases passed", async () => {
      const response = await gates.GET(
        jsonRequest(`${BASE_URL}/${KEY}/languages/fr/versions/${frV2Id}/gates`, "GET", editor),
        routeContext({ key: KEY, language: "fr", versionId: frV2Id }),
      );
      const body = await response.json();

      expect(body.allowed).toBe(true);
      expect(body.tests.cases.every((entry: { verdict: string }) => entry.verdict === "passed")).toBe(true);
    });

    it("publishes version 2 with a note", async () => {
      const response = await publishFrench(frV2Id, frV1.id, "Reviewed by the French team");
      const publication = await getPromptPublication(harness.handle.db, { key: KEY, language: "fr" });

      expect(response.status).toBe(200);
      expect(publication?.versionId).toBe(frV2Id);
    });

    it("answers 409 to a publish based on the old live version", async () => {
      const response = await publishFrench(frV1.id, frV1.id);
      const body = await response.json();
      const publication = await getPromptPublication(harness.handle.db, { key: KEY, language: "fr" });

      expect(response.status).toBe(409);
      expect(body.error.details.currentPublishedVersion.id).toBe(frV2Id);
      expect(publication?.versionId).toBe(frV2Id);
    });

    it("diffs the two versions word by word", async () => {
      const response = await diff.GET(
        jsonRequest(`${BASE_URL}/${KEY}/diff?from=${frV1.id}&to=${frV2Id}&fromLanguage=fr`, "GET", editor),
        routeContext({ key: KEY }),
      );
      const body = await response.json();

      expect(body.userTemplate).toContainEqual({ op: "delete", text: "ci-dessous" });
      expect(body.userTemplate).toContainEqual({ op: "insert", text: "suivants" });
      expect(body.systemText).toEqual([{ op: "equal", text: frV1.systemText }]);
      expect(body.parameters.changed).toBe(false);
    });

    it("rolls back to version 1 with a note, kept in the history", async () => {
      const response = await rollback.POST(
        jsonRequest(`${BASE_URL}/${KEY}/languages/fr/rollback`, "POST", editor, {
          versionId: frV1.id,
          basePublishedVersionId: frV2Id,
          note: "Rationales came back in English",
        }),
        routeContext({ key: KEY, language: "fr" }),
      );
      const historyResponse = await history.GET(
        jsonRequest(`${BASE_URL}/${KEY}/languages/fr/history`, "GET", editor),
        routeContext({ key: KEY, language: "fr" }),
      );
      const body = await historyResponse.json();
      const [v2, v1] = body.versions;

      expect(response.status).toBe(200);
      expect(body.publishedVersionId).toBe(frV1.id);
      expect(v1.live).toBe(true);
      expect(v1.publications[0]).toMatchObject({ action: "rollback", note: "Rationales came back in English" });
      expect(v2.note).toBe("Plus clair");
      expect(v2.publications[0]).toMatchObject({ action: "publish", note: "Reviewed by the French team" });
    });

    it("shows the last test result and no drift in the list", async () => {
      const response = await list.GET(jsonRequest(BASE_URL, "GET", editor), routeContext({}));
      const body = await response.json();
      const prompt = body.prompts.find((entry: { prompt: { key: string } }) => entry.prompt.key === KEY);
      const french = prompt.languages.find((entry: { language: string }) => entry.language === "fr");

      expect(prompt.gateOn).toBe(true);
      expect(french.published.versionNumber).toBe(1);
      expect(french.latestVersion.versionNumber).toBe(2);
      expect(french.lastTest.passed).toBe(french.lastTest.total);
      expect(french.drift).toBeNull();
    });

    it("lets an admin read the audit log with every step", async () => {
      const response = await audit.GET(
        jsonRequest(`${BASE_URL}/audit?promptKey=${KEY}`, "GET", harness.users.admin.headers),
        routeContext({}),
      );
      const actions = (await response.json()).entries.map((entry: { action: string }) => entry.action);

      expect(response.status).toBe(200);
      expect(actions).toContain("prompt.version.save");
      expect(actions).toContain("prompt.publish");
      expect(actions).toContain("prompt.rollback");
      expect(actions).toContain("prompt.publication.note");
    });
  });

  it("streams one case's answer, then its verdict", async () => {
    const [testCase] = await listTestCases(harness.handle.db, { promptKey: KEY });
    const response = await runOne.POST(
      jsonRequest(`${BASE_URL}/${KEY}/tests/run`, "POST", editor, {
        caseId: testCase?.id,
        language: "en",
        versionId: null,
        content: { systemText: frV1.systemText, userTemplate: frV1.userTemplate, parameters: frV1.parameters },
      }),
      routeContext({ key: KEY }),
    );
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as TestStreamEvent);
    const types = events.map((event) => event.type);
    const result = events.find((event) => event.type === "result");

    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    expect(types[0]).toBe("request");
    expect(types).toContain("delta");
    expect(types.at(-1)).toBe("result");
    expect(result?.type === "result" && result.result.verdict).toBe("passed");
    expect(result?.type === "result" && result.result.timeToFirstTokenMs).not.toBeNull();
  });

  it("runs a free-text prompt's cases in the process", async () => {
    const response = await testRuns.POST(
      jsonRequest(`${BASE_URL}/explainer/test-runs`, "POST", editor, {}),
      routeContext({ key: "explainer" }),
    );
    const { testRun } = await response.json();
    const finished = await waitFor(async () => {
      const view: TestMatrix = await (
        await matrix.GET(
          jsonRequest(`${BASE_URL}/explainer/test-runs/${testRun.id}`, "GET", editor),
          routeContext({ key: "explainer", testRunId: testRun.id }),
        )
      ).json();
      return view.status === "completed" ? view : undefined;
    });

    expect(testRun.pipelineRunId).toBeNull();
    expect(finished.cells).toHaveLength(2);
    expect(finished.totals.passed).toBe(2);
  });

  it("adds a language with a draft, then its first version", async () => {
    const german = {
      systemText: frV1.systemText,
      userTemplate: frV1.userTemplate.replace("Propose les entrées", "Schlage die fehlenden"),
      parameters: frV1.parameters,
    };
    const draftResponse = await draft.PUT(
      jsonRequest(`${BASE_URL}/${KEY}/languages/de/draft`, "PUT", editor, {
        ...german,
        baseVersionId: null,
        baseDraftRevision: null,
      }),
      routeContext({ key: KEY, language: "de" }),
    );
    const detail = await (
      await detailRoute.GET(jsonRequest(`${BASE_URL}/${KEY}`, "GET", editor), routeContext({ key: KEY }))
    ).json();
    const versionResponse = await versions.POST(
      jsonRequest(`${BASE_URL}/${KEY}/languages/de/versions`, "POST", editor, {
        ...german,
        baseVersionId: null,
        note: "Erste Fassung",
      }),
      routeContext({ key: KEY, language: "de" }),
    );
    const saved = await versionResponse.json();

    expect(draftResponse.status).toBe(200);
    expect(detail.languages.map((entry: { language: string }) => entry.language)).toContain("de");
    expect(versionResponse.status).toBe(201);
    expect(saved.version.versionNumber).toBe(1);
  });

  it("seeds the shipped cases once, and never a deleted one again", async () => {
    const db = harness.handle.db;
    const before = await listTestCases(db, { promptKey: "generator" });
    const removed = before[0];
    if (!removed) throw new Error("generator has no seeded case");
    await removeTestCase(db, { promptKey: "generator", caseId: removed.id, actorId: harness.users.editor.userId });
    const again = await seedPromptTests(db);
    const after = await listTestCases(db, { promptKey: "generator" });

    expect(again.created).toBe(0);
    expect(after.map((entry) => entry.id)).not.toContain(removed.id);
    expect(after).toHaveLength(before.length - 1);
  });

  describe("test cases", () => {
    it("rejects a variable the prompt does not declare", async () => {
      const response = await tests.POST(
        jsonRequest(`${BASE_URL}/${KEY}/tests`, "POST", editor, {
          name: "Typo",
          language: "en",
          variables: { frameworks: "RICE" },
          assertions: [{ kind: "parses" }],
        }),
        routeContext({ key: KEY }),
      );
      const body = await response.json();

      expect(response.status).toBe(400);
      expect(body.error.message).toContain("$frameworks");
    });

    it("rejects a JSON check on a free-text prompt", async () => {
      const response = await tests.POST(
        jsonRequest(`${BASE_URL}/explainer/tests`, "POST", editor, {
          name: "JSON",
          language: "en",
          assertions: [{ kind: "contains", path: "", value: "A02" }, { kind: "matches_schema" }],
        }),
        routeContext({ key: "explainer" }),
      );
      const body = await response.json();

      expect(response.status).toBe(400);
      expect(body.error.details.field).toBe("assertions[1]");
    });
  });
});
