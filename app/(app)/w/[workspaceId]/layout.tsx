import type { ReactNode } from "react";
import { requirePageWorkspace } from "@/components/shell/session";

/** Check, for every page under `/w/[workspaceId]`, that the user may see the workspace; else render 404. */
export default async function WorkspaceLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ workspaceId: string }>;
}) {
  await requirePageWorkspace((await params).workspaceId);
  return children;
}
