import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SimulatedBadge } from "@/components/ai/simulated-badge";
import { FeedbackWorkspace } from "@/components/feedback/feedback-workspace";
import { requirePageWorkspace } from "@/components/shell/session";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db";
import { hasCapability } from "@/lib/auth/roles";
import { getFeedbackThemes, getLatestFeedbackRun } from "@/lib/feedback/runs";
import { getSuggestionRunView } from "@/lib/feedback/suggestions";
import { FEEDBACK_SUMMARY_TASK_KIND, ITEM_SUGGESTIONS_TASK_KIND } from "@/lib/feedback/tasks";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("feedback"))("title") };
}

/** Customer feedback by theme: summaries with cited snippets, and new items suggested from it. */
export default async function FeedbackPage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { actor, workspace } = await requirePageWorkspace((await params).workspaceId);
  const db = await getDb();
  const t = await getTranslations("feedback");

  const [{ themes, snippets }, summaryRun, suggestionRun] = await Promise.all([
    getFeedbackThemes(db, { workspaceId: workspace.id }),
    getLatestFeedbackRun(db, { workspaceId: workspace.id, kind: FEEDBACK_SUMMARY_TASK_KIND }),
    getLatestFeedbackRun(db, { workspaceId: workspace.id, kind: ITEM_SUGGESTIONS_TASK_KIND }),
  ]);
  const suggestions = suggestionRun
    ? await getSuggestionRunView(db, { workspaceId: workspace.id, runId: suggestionRun.run.id })
    : null;

  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <FeedbackWorkspace
        workspaceId={workspace.id}
        themes={themes}
        snippets={snippets}
        summaryRun={summaryRun?.activity ?? null}
        suggestions={suggestions}
        canRunAi={hasCapability(actor.role, "runAi")}
        canEdit={hasCapability(actor.role, "editBacklog")}
        simulatedBadge={<SimulatedBadge />}
      />
    </>
  );
}
