import { NextIntlClientProvider } from "next-intl";
import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BatchProgress, RunOverallProgress } from "@/components/prioritize/run-progress";
import { listBatches } from "@/db/queries/runs";
import { retriesCancelledBatches } from "@/lib/pipeline/retry-scope";
import { cancelRun, retryFailedBatches } from "@/lib/pipeline/service";
import { type RunActivity, summarizeProgress } from "@/lib/prioritization/ai-run-events";
import { loadRunActivity } from "@/lib/prioritization/ai-run-view";
import { describeEachEngine } from "@/lib/testing/database";
import fr from "@/messages/fr.json";
import { createPipelineHarness, type PipelineHarness, type TestInput, waitFor } from "./harness";

const input: TestInput = {
  groups: ["one", "two", "three"].map((name) => ({
    label: `stop-${name}`,
    items: [{ id: `${name}-1`, title: `Item ${name}`, missing: ["impact"] }],
  })),
};

/** Render the Prioritize page's run summary and batch cards in French, as text without tags. */
function renderInFrench(activity: RunActivity): string {
  const node: ReactNode = [
    createElement(RunOverallProgress, { key: "run", activity }),
    ...activity.batches.map((batch) => createElement(BatchProgress, { key: batch.id, batch, label: batch.label })),
  ];
  const provider = createElement(NextIntlClientProvider, {
    locale: "fr",
    timeZone: "UTC",
    messages: fr,
    // biome-ignore lint/correctness/noChildrenProp: integration tests are .ts files without JSX, and the provider's props type requires children.
    children: node,
  });
  const html = renderToStaticMarkup(provider);
  return html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'");
}

describeEachEngine("cancelled run retried", (engine) => {
  let harness: PipelineHarness;
  let cancelled: RunActivity;
  let cancelledText: string;
  let retriedCancelled: boolean;
  let completed: RunActivity;
  let completedText: string;

  beforeAll(async () => {
    harness = await createPipelineHarness(engine);
    harness.simulator.setFaultRules([{ match: "Batch stop-", fault: "hang" }]);
    const started = await harness.start(input, { concurrency: 1 });
    await waitFor(async () => harness.simulator.requestLog.find((entry) => entry.faults.includes("hang")));

    await cancelRun(harness.runtime, started);
    const run = await harness.waitForRun(started.id);
    const batches = await listBatches(harness.handle.db, { runId: run.id });
    cancelled = await loadRunActivity(harness.handle.db, run, batches);
    cancelledText = renderInFrench(cancelled);
    retriedCancelled = retriesCancelledBatches(batches);

    harness.simulator.setFaultRules([]);
    await retryFailedBatches(harness.runtime, run);
    const finished = await harness.waitForRun(started.id);
    completed = await loadRunActivity(harness.handle.db, finished);
    completedText = renderInFrench(completed);
  });

  afterAll(async () => {
    await harness?.close();
  });

  describe("after the cancel", () => {
    it("counts cancelled batches apart from failed ones", () => {
      const progress = summarizeProgress(cancelled);

      expect(progress.cancelled).toBe(3);
      expect(progress.failed).toBe(0);
    });

    it("shows the counts in French", () => {
      expect(cancelledText).toContain("0 en échec, 3 annulés");
    });

    it("labels cancelled batches as cancelled", () => {
      expect(cancelledText).toContain("Annulé :");
      expect(cancelledText).not.toContain("Échec");
    });

    it("never shows the raw status code", () => {
      expect(cancelledText).not.toMatch(/\bcancelled\b/);
    });

    it("words the retry for unfinished batches", () => {
      expect(retriedCancelled).toBe(true);
    });
  });

  describe("after the retry", () => {
    it("records the cancel before the retry", () => {
      expect(completed.status).toBe("completed");
      expect(completed.retries).toEqual([{ previousStatus: "cancelled", batches: 3 }]);
    });

    it("says the run was cancelled and retried", () => {
      expect(completedText).toContain("L’exécution a été annulée, puis a été relancée : 3 lots remis en file.");
    });
  });
});
