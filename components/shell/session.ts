import { forbidden, notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Workspace } from "@/db/schema";
import { type Actor, getActor, requireWorkspace } from "@/lib/auth/actor";
import { type Capability, hasCapability } from "@/lib/auth/roles";
import { isAppError } from "@/lib/errors";

/**
 * Page-side counterparts of `requireActor`, `requireCapability` and `requireWorkspace`: instead of
 * throwing an `AppError` (which a page would render as a 500), they redirect to sign-in, render the
 * 403 page, or render the 404 page. Results are cached per request, so a layout and its page
 * share one database read.
 */
export const getPageActor = cache(async (): Promise<Actor | null> => getActor());

export async function requirePageActor(): Promise<Actor> {
  const actor = await getPageActor();
  if (!actor) redirect("/signin");
  return actor;
}

export async function requirePageCapability(capability: Capability): Promise<Actor> {
  const actor = await requirePageActor();
  if (!hasCapability(actor.role, capability)) forbidden();
  return actor;
}

/** The workspace of the URL if the user may see it; any other id renders the 404 page. */
export const requirePageWorkspace = cache(
  async (workspaceId: string): Promise<{ actor: Actor; workspace: Workspace }> => {
    const actor = await requirePageActor();
    try {
      return { actor, workspace: await requireWorkspace(actor, workspaceId) };
    } catch (error) {
      if (isAppError(error) && error.status === 404) notFound();
      throw error;
    }
  },
);
