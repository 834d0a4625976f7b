import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/db";
import type { DatabaseHandle } from "@/db/client";
import { listInputHistory } from "@/db/queries/backlog-inputs";
import { getLatestPromptVersion, getPromptPublication } from "@/db/queries/prompts";
import { isAppError } from "@/lib/errors";
import { importPromptFiles } from "@/lib/prompts/file-sync";
import { defaultPromptsDir } from "@/lib/prompts/files";
import { publishPromptVersion, savePromptVersion } from "@/lib/prompts/store";
import { createTestDatabase, describeEachEngine } from "@/lib/testing/database";
import { createBacklog, createWorkspaceWithUsers } from "./harness";

/**
 * Simultaneous writes to one row: 20 edits of one item's input sent from the same read, and 10
 * publishes of one prompt decided from the same live version. Exactly one write wins, every other
 * gets a 409 conflict, and nothing a loser sent is stored.
 */

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    session.userId ? { user: { id: session.userId }, expires: "2999-01-01T00:00:00.000Z" } : null,
}));

const inputRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/inputs/[input]/route");
const itemRoute = await import("@/app/api/v1/workspaces/[workspaceId]/items/[itemId]/route");

const EDITS = 20;
const PUBLISHES = 10;

describeEachEngine("concurrent writes", (engine) => {
  let handle: DatabaseHandle;
  let workspaceId: string;
  let itemId: string;

  beforeAll(async () => {
    handle = await createTestDatabase(engine);
    setDatabaseForTests(handle);
    const created = await createWorkspaceWithUsers(handle, ["member"]);
    workspaceId = created.workspaceId;
    session.userId = created.users.member;
    [itemId] = (await createBacklog(handle, {
      workspaceId,
      actorId: created.users.member as string,
      themes: ["Contended"],
      perTheme: 1,
    })) as [string];
  });

  afterAll(async () => {
    session.userId = undefined;
    setDatabaseForTests(undefined);
    await handle?.close();
  });

  async function readVersion(): Promise<number> {
    const response = await itemRoute.GET(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/items/${itemId}`),
      {
        params: Promise.resolve({ workspaceId, itemId }),
      },
    );
    return ((await response.json()) as { item: { version: number } }).item.version;
  }

  function putReach(value: number, version: number) {
    return inputRoute.PUT(
      new Request(`http://127.0.0.1/api/v1/workspaces/${workspaceId}/items/${itemId}/inputs/reach`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value, version, reason: `edit ${value}` }),
      }),
      { params: Promise.resolve({ workspaceId, itemId, input: "reach" }) },
    );
  }

  async function pmReachRows() {
    const history = await listInputHistory(handle.db, { workspaceId, itemId });
    return history.filter((row) => row.input === "reach" && row.source === "pm");
  }

  describe("20 edits of one input from one read", () => {
    it("lets one win and answers 409 to the others", async () => {
      const version = await readVersion();
      const before = (await pmReachRows()).length;

      const responses = await Promise.all(Array.from({ length: EDITS }, (_, index) => putReach(100 + index, version)));
      const statuses = responses.map((response) => response.status);
      const winnerIndex = statuses.indexOf(200);
      const conflicts = await Promise.all(
        responses
          .filter((response) => response.status === 409)
          .map(
            async (response) =>
              (await response.json()) as { error: { code: string; details: { currentVersion: number } } },
          ),
      );
      const rows = await pmReachRows();

      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(EDITS - 1);
      expect(conflicts.every((body) => body.error.code === "conflict")).toBe(true);
      expect(conflicts.every((body) => body.error.details.currentVersion === version + 1)).toBe(true);
      expect(rows).toHaveLength(before + 1);
      expect(rows[0]?.value).toBe(100 + winnerIndex);
      expect(await readVersion()).toBe(version + 1);
    });

    it("keeps every edit when losers reload and retry", async () => {
      const before = (await pmReachRows()).length;
      const startVersion = await readVersion();

      const edit = async (value: number) => {
        let version = startVersion;
        for (let attempt = 0; attempt < EDITS * 2; attempt++) {
          const response = await putReach(value, version);
          if (response.status === 200) return attempt;
          expect(response.status).toBe(409);
          version = ((await response.json()) as { error: { details: { currentVersion: number } } }).error.details
            .currentVersion;
        }
        throw new Error(`edit ${value} never won`);
      };
      await Promise.all(Array.from({ length: EDITS }, (_, index) => edit(1000 + index)));
      const values = (await pmReachRows()).slice(0, EDITS).map((row) => row.value);

      expect((await pmReachRows()).length).toBe(before + EDITS);
      expect(new Set(values)).toEqual(new Set(Array.from({ length: EDITS }, (_, index) => 1000 + index)));
      expect(await readVersion()).toBe(startVersion + EDITS);
    });
  });

  describe("10 publishes of one prompt from one live version", () => {
    it("publishes one version and rejects the others with 409", async () => {
      await importPromptFiles(handle.db, { dir: defaultPromptsDir });
      const key = "prioritizer";
      const latest = await getLatestPromptVersion(handle.db, { key, language: "en" });
      const live = await getPromptPublication(handle.db, { key, language: "en" });
      if (!latest || !live) throw new Error("the shipped prioritizer prompt has no published English version");
      const candidates = [];
      let base = latest;
      for (let index = 0; index < PUBLISHES; index++) {
        const saved = await savePromptVersion(handle.db, {
          key,
          language: "en",
          systemText: latest.systemText,
          userTemplate: `${latest.userTemplate}\nCandidate ${index}.`,
          parameters: latest.parameters,
          baseVersionId: base.id,
          actorId: null,
        });
        candidates.push(saved.version);
        base = saved.version;
      }

      const results = await Promise.allSettled(
        candidates.map((version) =>
          publishPromptVersion(handle.db, {
            key,
            language: "en",
            versionId: version.id,
            basePublishedVersionId: live.versionId,
            actorId: null,
          }),
        ),
      );
      const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
      const losers = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
      const publication = await getPromptPublication(handle.db, { key, language: "en" });

      expect(winners).toHaveLength(1);
      expect(winners[0]?.changed).toBe(true);
      expect(losers).toHaveLength(PUBLISHES - 1);
      expect(losers.every((reason) => isAppError(reason) && reason.status === 409)).toBe(true);
      expect(publication?.versionId).toBe(winners[0]?.version.id);
    });
  });
});
