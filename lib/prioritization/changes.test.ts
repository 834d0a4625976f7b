import { describe, expect, it } from "vitest";
import {
  createRankingSnapshot,
  formatRankChange,
  listRankChanges,
  type RankingSnapshot,
  type SnapshotInput,
  type SnapshotItem,
} from "./changes";
import type { EffectiveInput } from "./effective";
import { rankItems } from "./ranking";

const importOf = (value: number): SnapshotInput => ({ value, source: "import", evidenceIds: [], rationale: null });

function snapshotItem(number: number, rank: number | null, inputs: SnapshotItem["inputs"]): SnapshotItem {
  return { itemId: `item-${number}`, number, externalId: null, title: `Item ${number}`, rank, score: null, inputs };
}

function snapshot(items: SnapshotItem[]): RankingSnapshot {
  return { framework: "rice", iceMode: "product", takenAt: "2025-01-01T00:00:00.000Z", items };
}

describe("listRankChanges", () => {
  const before = snapshot([
    snapshotItem(1, 3, { reach: importOf(200) }),
    snapshotItem(2, 1, { reach: importOf(500) }),
    snapshotItem(3, 2, { reach: importOf(300) }),
  ]);
  const after = snapshot([
    snapshotItem(1, 1, {
      reach: { value: 900, source: "ai", evidenceIds: ["AF012"], rationale: "Many customers ask." },
    }),
    snapshotItem(2, 2, { reach: importOf(500) }),
    snapshotItem(3, 3, { reach: importOf(300) }),
  ]);

  it("lists the item whose input change moved it", () => {
    const changes = listRankChanges(before, after);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ itemId: "item-1", kind: "moved", rankBefore: 3, rankAfter: 1 });
    expect(changes[0]?.inputChanges.map((change) => change.input)).toEqual(["reach"]);
  });

  it("lists items moved only by others when asked", () => {
    const changes = listRankChanges(before, after, { includeIndirect: true });
    expect(changes.map((change) => change.itemId)).toEqual(["item-1", "item-2", "item-3"]);
    expect(changes[1]?.inputChanges).toEqual([]);
  });

  it("names the items that passed an indirect mover", () => {
    const changes = listRankChanges(before, after, { includeIndirect: true });
    expect(changes[1]?.passedBy).toEqual(["#1"]);
    expect(changes[2]?.passedBy).toEqual(["#1"]);
    expect(changes[0]?.passedBy).toEqual([]);
  });

  it("formats an indirect move with its passers", () => {
    const changes = listRankChanges(before, after, { includeIndirect: true });
    const moved = changes[1];

    expect(moved).toBeDefined();
    expect(formatRankChange(moved as (typeof changes)[number])).toBe("#1 → #2: passed by #1");
  });

  it("counts passers beyond the named ones", () => {
    const risers = [1, 2, 3, 4].map((number) => snapshotItem(number, null, {}));
    const risen = [1, 2, 3, 4].map((number) => snapshotItem(number, number, { reach: importOf(100 * number) }));
    const changes = listRankChanges(
      snapshot([...risers, snapshotItem(5, 1, { reach: importOf(50) })]),
      snapshot([...risen, snapshotItem(5, 5, { reach: importOf(50) })]),
      { includeIndirect: true },
    );
    const fallen = changes.find((change) => change.itemId === "item-5");

    expect(fallen).toBeDefined();
    expect(formatRankChange(fallen as (typeof changes)[number])).toBe("#1 → #5: passed by #1, #2, #3 and 1 more");
  });

  it("formats the change with source and evidence", () => {
    const [change] = listRankChanges(before, after);
    expect(change && formatRankChange(change)).toBe("#3 → #1: reach 200 → 900 (AI, cites AF012)");
  });

  it("formats a PM change with its reason", () => {
    const pm = snapshot([
      snapshotItem(1, 1, { reach: { value: 900, source: "pm", evidenceIds: [], rationale: "Sales call" } }),
      snapshotItem(2, 2, { reach: importOf(500) }),
      snapshotItem(3, 3, { reach: importOf(300) }),
    ]);
    const [change] = listRankChanges(before, pm);
    expect(change && formatRankChange(change)).toBe("#3 → #1: reach 200 → 900 (PM, reason: Sales call)");
  });

  it("reports an item that became ranked when its last input arrived", () => {
    const changes = listRankChanges(
      snapshot([snapshotItem(1, null, { reach: importOf(200) })]),
      snapshot([snapshotItem(1, 1, { reach: importOf(200), effort: { ...importOf(0.5), source: "pm" } })]),
    );
    expect(changes[0] && formatRankChange(changes[0])).toBe("needs input → #1: effort unset → 0.5 (PM)");
  });

  it("reports a cleared input that made an item unranked", () => {
    const changes = listRankChanges(
      snapshot([snapshotItem(1, 1, { effort: importOf(2) })]),
      snapshot([snapshotItem(1, null, {})]),
    );
    expect(changes[0] && formatRankChange(changes[0])).toBe("#1 → needs input: effort 2 → unset");
  });

  it("reports added and removed ranked items", () => {
    const changes = listRankChanges(
      snapshot([snapshotItem(1, 1, { reach: importOf(1) })]),
      snapshot([snapshotItem(2, 1, { reach: importOf(5) })]),
    );
    expect(changes.map((change) => change.kind)).toEqual(["added", "removed"]);
    expect(changes.map(formatRankChange)).toEqual([
      "new → #1: reach unset → 5 (import)",
      "#1 → removed: reach 1 → unset",
    ]);
  });

  it("ignores unranked items that were added", () => {
    const changes = listRankChanges(snapshot([]), snapshot([snapshotItem(1, null, {})]));
    expect(changes).toEqual([]);
  });

  it("ignores changes to inputs of other frameworks", () => {
    const changes = listRankChanges(
      snapshot([snapshotItem(1, 2, { ice_ease: importOf(2) })]),
      snapshot([snapshotItem(1, 1, { ice_ease: importOf(9) })]),
    );
    expect(changes).toEqual([]);
  });

  it("ignores a source change that keeps the value", () => {
    const changes = listRankChanges(
      snapshot([snapshotItem(1, 2, { reach: importOf(200) })]),
      snapshot([snapshotItem(1, 1, { reach: { ...importOf(200), source: "pm" } })]),
    );
    expect(changes).toEqual([]);
  });

  it("rejects snapshots of different frameworks", () => {
    expect(() => listRankChanges(before, { ...after, framework: "wsjf" })).toThrow(/rice ranking with a wsjf/);
  });
});

describe("createRankingSnapshot", () => {
  const input = (value: number): EffectiveInput => ({
    value,
    source: "import",
    rowId: "row",
    rationale: null,
    evidenceIds: [],
    authorId: null,
    runId: null,
    effectiveAt: new Date(0),
  });
  const inputs = { reach: input(100), impact: input(1), confidence: input(100), effort: input(2) };
  const items = [
    {
      id: "a",
      number: 1,
      externalId: "A01",
      title: "Ranked",
      inputs,
      values: { reach: 100, impact: 1, confidence: 100, effort: 2 },
    },
    { id: "b", number: 2, externalId: null, title: "Unranked", inputs: {}, values: {} },
  ];

  it("keeps ranks, scores and input provenance", () => {
    const ranking = rankItems(items, { framework: "rice", iceMode: "product" });
    const taken = createRankingSnapshot(ranking, new Date("2025-02-01T00:00:00Z"));
    expect(taken.takenAt).toBe("2025-02-01T00:00:00.000Z");
    expect(taken.items[0]).toMatchObject({ itemId: "a", rank: 1, score: 50, externalId: "A01" });
    expect(taken.items[0]?.inputs.reach).toEqual({ value: 100, source: "import", evidenceIds: [], rationale: null });
    expect(taken.items[1]).toMatchObject({ itemId: "b", rank: null, score: null });
  });

  it("survives a JSON round trip unchanged", () => {
    const taken = createRankingSnapshot(rankItems(items, { framework: "rice", iceMode: "product" }), new Date(0));
    expect(JSON.parse(JSON.stringify(taken))).toEqual(taken);
  });
});
