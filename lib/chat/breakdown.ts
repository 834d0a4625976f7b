import type { InputSource } from "@/db/schema";
import type { RankingSnapshot, SnapshotItem } from "@/lib/prioritization/changes";
import { type Framework, type InputName, inputsOfFramework } from "@/lib/prioritization/scales";
import { itemRef } from "./context";

/** One item's score and inputs, as a conversation's ranking snapshot has them. */
export interface ItemBreakdown {
  ref: string;
  title: string;
  rank: number | null;
  score: number | null;
  framework: Framework;
  inputs: Array<{ name: InputName; value: number; source: InputSource }>;
  missing: InputName[];
}

/** Build the score breakdown of snapshot items: rank, score and each input of the framework with its source. */
export function toItemBreakdowns(snapshot: RankingSnapshot, items: readonly SnapshotItem[]): ItemBreakdown[] {
  const names = inputsOfFramework(snapshot.framework);
  return items.map((item) => ({
    ref: itemRef(item),
    title: item.title,
    rank: item.rank,
    score: item.score,
    framework: snapshot.framework,
    inputs: names.flatMap((name) => {
      const input = item.inputs[name];
      return input ? [{ name, value: input.value, source: input.source }] : [];
    }),
    missing: names.filter((name) => !item.inputs[name]),
  }));
}
