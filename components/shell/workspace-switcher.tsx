"use client";

import { useParams, usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useId } from "react";

/**
 * Render the workspace select. Choosing a workspace opens the same section in it (`/w/A/runs` →
 * `/w/B/runs`). From pages outside a workspace it opens the chosen workspace's backlog.
 */
export function WorkspaceSwitcher({
  workspaces,
  defaultWorkspaceId,
}: {
  workspaces: { id: string; name: string }[];
  defaultWorkspaceId: string | null;
}) {
  const t = useTranslations("shell.workspaceSwitcher");
  const router = useRouter();
  const pathname = usePathname();
  const params = useParams<{ workspaceId?: string }>();
  const selectId = useId();
  const current = params.workspaceId ?? defaultWorkspaceId ?? "";

  if (workspaces.length === 0) return null;

  function handleChange(workspaceId: string) {
    const section = params.workspaceId ? pathname.split("/")[3] : undefined;
    router.push(`/w/${workspaceId}/${section ?? "backlog"}`);
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={selectId} className="text-xs font-medium text-slate-600">
        {t("label")}
      </label>
      <select
        id={selectId}
        value={current}
        onChange={(event) => handleChange(event.target.value)}
        className="max-w-48 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        {workspaces.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
    </div>
  );
}
