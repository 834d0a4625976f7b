import { expect, it, vi } from "vitest";

// The preview action only parses the form, so the actor stub is a member with access to the workspace.
vi.mock("@/lib/auth/actor", () => ({
  requireActor: async () => ({ userId: "user-1", role: "member" }),
  requireCapability: () => {},
  requireWorkspace: async () => ({ id: "workspace-1" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const { previewImportAction } = await import("@/app/(app)/w/[workspaceId]/backlog/actions");

function formWith(file?: File): FormData {
  const form = new FormData();
  if (file) form.set("file", file);
  return form;
}

it("rejects an empty file as empty", async () => {
  const result = await previewImportAction("workspace-1", formWith(new File([], "backlog.csv")));

  expect(result.ok).toBe(false);
  expect(result.ok ? undefined : result.error.code).toBe("csv_empty");
  expect(result.ok ? undefined : result.error.details?.reason).toBeUndefined();
});

it("asks for a file when none is sent", async () => {
  const result = await previewImportAction("workspace-1", formWith());

  expect(result.ok).toBe(false);
  expect(result.ok ? undefined : result.error.details?.reason).toBe("csv_file_missing");
});

it("previews a small file", async () => {
  const result = await previewImportAction("workspace-1", formWith(new File(["title\nExport PDF\n"], "backlog.csv")));

  expect(result.ok).toBe(true);
});
