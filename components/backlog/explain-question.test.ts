import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { findNamedItems } from "@/lib/chat/context";
import type { RankingSnapshot } from "@/lib/prioritization/changes";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

/** A snapshot whose item number 1 is not the item asked about. */
const snapshot = {
  framework: "rice",
  items: [
    { itemId: "a", externalId: "A25", number: 25, title: "Join data across databases", rank: 1 },
    { itemId: "b", externalId: "A01", number: 1, title: "Export dashboards as PDF", rank: 2 },
  ],
} as unknown as RankingSnapshot;

describe("Explain question", () => {
  for (const [locale, messages] of [
    ["en", en],
    ["fr", fr],
  ] as const) {
    const t = createTranslator({ locale, messages, namespace: "backlog.detail" });
    const ask = (rank: number) =>
      t("explainRankedQuestion", { item: "A25 Join data across databases", rank, framework: "RICE" });

    it(`names only the item in ${locale}`, () => {
      for (const rank of [1, 2, 3, 11, 22]) {
        const named = findNamedItems(snapshot, ask(rank));
        expect(
          named.map((item) => item.externalId),
          ask(rank),
        ).toEqual(["A25"]);
      }
    });
  }

  it("writes English ranks as ordinals", () => {
    const t = createTranslator({ locale: "en", messages: en, namespace: "backlog.detail" });
    const ranks = [1, 2, 3, 4, 11, 21].map((rank) =>
      t("explainRankedQuestion", { item: "A25", rank, framework: "RICE" }),
    );

    expect(ranks).toEqual([
      "Why is A25 ranked 1st by RICE?",
      "Why is A25 ranked 2nd by RICE?",
      "Why is A25 ranked 3rd by RICE?",
      "Why is A25 ranked 4th by RICE?",
      "Why is A25 ranked 11th by RICE?",
      "Why is A25 ranked 21st by RICE?",
    ]);
  });
});
