"use client";

import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { useTranslations } from "next-intl";

/** Sections that live under `/w/[workspaceId]/`, in navigation order. */
export const workspaceSections = ["backlog", "prioritize", "feedback", "knowledge", "chat", "runs"] as const;
export type WorkspaceSection = (typeof workspaceSections)[number];

/**
 * Main navigation. Workspace sections link into the workspace in the URL, or the user's first
 * workspace on pages outside one (admin, settings). Chat is left out for users who may not run AI,
 * because its route rejects them with 403.
 */
export function MainNav({
  defaultWorkspaceId,
  showAdmin,
  showChat,
}: {
  defaultWorkspaceId: string | null;
  showAdmin: boolean;
  showChat: boolean;
}) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const params = useParams<{ workspaceId?: string }>();
  const workspaceId = params.workspaceId ?? defaultWorkspaceId;

  const links: { key: string; href: string; label: string }[] = workspaceId
    ? workspaceSections
        .filter((section) => showChat || section !== "chat")
        .map((section) => ({ key: section, href: `/w/${workspaceId}/${section}`, label: t(section) }))
    : [];
  if (showAdmin) links.push({ key: "admin", href: "/admin", label: t("admin") });

  return (
    <nav aria-label={t("label")}>
      <ul className="flex flex-wrap items-center gap-1">
        {links.map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.key}>
              <Link
                href={link.href}
                aria-current={active ? "page" : undefined}
                className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800"
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
