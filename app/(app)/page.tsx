import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requirePageActor } from "@/components/shell/session";
import { EmptyState } from "@/components/ui/empty-state";
import { getDb } from "@/db";
import { listWorkspacesForUser } from "@/db/queries/workspaces";

/** Home: the backlog of the user's first workspace (by name), or why there is none. */
export default async function HomePage() {
  const actor = await requirePageActor();
  const workspaces = await listWorkspacesForUser(await getDb(), { userId: actor.userId });
  const first = workspaces[0];
  if (first) redirect(`/w/${first.id}/backlog`);

  const t = await getTranslations("shell.noWorkspace");
  return <EmptyState title={t("title")} description={t("description")} />;
}
