import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { SimulatedBadge } from "@/components/ai/simulated-badge";
import type { Actor } from "@/lib/auth/actor";
import { hasCapability } from "@/lib/auth/roles";
import { MainNav } from "./main-nav";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher } from "./workspace-switcher";

/**
 * Top bar of every signed-in page: product name, navigation, the simulated-model badge (when no
 * real provider is configured), workspace switcher and user menu.
 */
export async function AppHeader({ actor, workspaces }: { actor: Actor; workspaces: { id: string; name: string }[] }) {
  const t = await getTranslations("common");
  const defaultWorkspaceId = workspaces[0]?.id ?? null;

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-[96rem] flex-wrap items-center gap-4 px-6 py-3">
        <Link
          href="/"
          className="rounded-md text-base font-semibold text-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
        >
          {t("appName")}
        </Link>
        <MainNav
          defaultWorkspaceId={defaultWorkspaceId}
          showAdmin={hasCapability(actor.role, "editPrompts")}
          showChat={hasCapability(actor.role, "runAi")}
        />
        <div className="ml-auto flex items-center gap-3">
          <SimulatedBadge />
          <WorkspaceSwitcher workspaces={workspaces} defaultWorkspaceId={defaultWorkspaceId} />
          <UserMenu name={actor.name} email={actor.email} role={actor.role} />
        </div>
      </div>
    </header>
  );
}
