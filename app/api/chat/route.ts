import { requireActor, requireCapability, requireWorkspace } from "@/lib/auth/actor";
import { chatRequestSchema, respondToChat } from "@/lib/chat/respond";
import { getChatDeps } from "@/lib/chat/runtime";
import { methodsNotAllowed } from "@/lib/http/method-not-allowed";
import { apiRoute, parseJsonBody } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Room for a question of CHAT_MAX_QUESTION_CHARS (20,000 at most) with every character escaped as `\uXXXX`. */
const MAX_CHAT_BODY_BYTES = 256 * 1024;

/**
 * Ask a question about the workspace's ranking. The answer streams as an AI SDK UI message stream
 * (server-sent events) with numbered sources; the conversation id is in `x-conversation-id` and in
 * the answer's metadata. Errors before the stream starts are JSON, as on every route. A
 * conversation writes one answer at a time, so a question or regenerate sent while another of its
 * answers is being written is a 409 with `details.reason` `chat_conversation_busy`.
 */
export const POST = apiRoute(async ({ request }) => {
  const actor = await requireActor(request);
  requireCapability(actor, "runAi");
  const body = await parseJsonBody(request, chatRequestSchema, { maxBytes: MAX_CHAT_BODY_BYTES });
  await requireWorkspace(actor, body.workspaceId);

  return respondToChat(await getChatDeps(), { actor, request: body, signal: request.signal });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(["POST"]);
