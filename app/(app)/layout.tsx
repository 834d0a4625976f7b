import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { requirePageActor } from "@/components/shell/session";
import { getDb } from "@/db";
import { listWorkspacesForUser } from "@/db/queries/workspaces";

/** Shell of every signed-in page; the proxy already sent anonymous visitors to sign-in. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();

  const workspaces = await listWorkspacesForUser(await getDb(), {
    userId: actor.userId,
    all: actor.role === "admin",
  });
  const t = await getTranslations("shell");

  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-4 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        {t("skipToContent")}
      </a>
      <AppHeader actor={actor} workspaces={workspaces.map(({ id, name }) => ({ id, name }))} />
      <main id="main" className="mx-auto w-full max-w-[96rem] flex-1 px-6 py-8">
        {children}
      </main>
    </div>
  );
}
