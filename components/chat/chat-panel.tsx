"use client";

import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { type ChatUIMessage, messageText } from "@/lib/chat/types";
import { chatUrl } from "@/lib/chat/urls";
import { countCharacters } from "@/lib/text";
import { Answer } from "./answer";
import { type ConversationItem, ConversationList } from "./conversation-list";
import { isConversationBusy, readApiError } from "./errors";

export interface ChatPanelProps {
  workspaceId: string;
  conversationId: string | null;
  conversations: ConversationItem[];
  initialMessages: ChatUIMessage[];
  /** Asked at once in a new conversation (the Explain buttons link here with it). */
  initialQuestion: string | null;
  /** Maximum length of a question that the server accepts, in characters (code points). */
  maxQuestionChars: number;
  /** ISO 8601 time of the open conversation's ranking snapshot. A new conversation reads it from its first answer's metadata. */
  rankingTakenAt: string | null;
  focusItems: string[];
}

/**
 * The chat: conversations on the side, the messages, and the question box. Answers stream in
 * through `useChat`; the first answer of a new conversation carries its id, which then goes into
 * the URL without a reload, so the streamed messages stay on screen.
 */
export function ChatPanel(props: ChatPanelProps) {
  const t = useTranslations("chat");
  const localizeError = useLocalizeServerError();
  const locale = useLocale();
  const format = useFormatter();
  const [conversationId, setConversationId] = useState(props.conversationId);
  const [conversations, setConversations] = useState(props.conversations);
  const [input, setInput] = useState("");
  const request = useRef({
    conversationId: props.conversationId,
    focusItems: props.focusItems,
    firstQuestion: props.initialQuestion ?? "",
    /** Trigger of the last request sent, to tell a rejected new question from a rejected regenerate. */
    trigger: "submit-message" as string,
  });

  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatUIMessage>({
        api: "/api/chat",
        prepareSendMessagesRequest: ({ messages, trigger }) => {
          const question = [...messages].reverse().find((message) => message.role === "user");
          request.current.trigger = trigger;
          return {
            body: {
              workspaceId: props.workspaceId,
              conversationId: request.current.conversationId ?? undefined,
              language: locale,
              trigger,
              message: question,
              focusItems: request.current.focusItems,
            },
          };
        },
      }),
    [props.workspaceId, locale],
  );

  const { messages, setMessages, sendMessage, regenerate, stop, status, error, clearError } = useChat<ChatUIMessage>({
    id: props.conversationId ?? `new-${props.workspaceId}`,
    messages: props.initialMessages,
    transport,
    onFinish: ({ message, isAbort }) => {
      // The server stores a stopped answer with this mark, so the note shows now as after a reload.
      if (isAbort) {
        setMessages((list) =>
          list.map((item) =>
            item.id === message.id ? { ...item, metadata: { ...item.metadata, aborted: true } } : item,
          ),
        );
      }
      const id = message.metadata?.conversationId;
      if (!id || id === request.current.conversationId) return;
      request.current.conversationId = id;
      setConversationId(id);
      const title = request.current.firstQuestion.slice(0, 80) || t("newConversation");
      setConversations((list) => [{ id, title }, ...list]);
      window.history.replaceState(null, "", chatUrl(props.workspaceId, id));
    },
  });

  // Ask the question an Explain button sent, once, then drop it from the URL so a reload does not ask again.
  const asked = useRef(false);
  useEffect(() => {
    if (asked.current || !props.initialQuestion || props.conversationId) return;
    asked.current = true;
    void sendMessage({ text: props.initialQuestion });
    window.history.replaceState(null, "", chatUrl(props.workspaceId));
  }, [props.initialQuestion, props.conversationId, props.workspaceId, sendMessage]);

  const apiError = useMemo(() => (error ? readApiError(error) : undefined), [error]);
  const conversationBusy = apiError !== undefined && isConversationBusy(apiError);

  // The server stored nothing for a question rejected because another answer is still being
  // written, so the question leaves the list and goes back into the box, ready to send again.
  const restoredAfter = useRef<Error | undefined>(undefined);
  useEffect(() => {
    if (!conversationBusy || request.current.trigger !== "submit-message" || restoredAfter.current === error) return;
    restoredAfter.current = error;
    const unsent = messages.at(-1);
    if (unsent?.role !== "user") return;
    setMessages((list) => list.filter((item) => item.id !== unsent.id));
    setInput((current) => current || messageText(unsent));
  }, [conversationBusy, error, messages, setMessages]);

  const busy = status === "submitted" || status === "streaming";
  const tooLong = countCharacters(input.trim()) > props.maxQuestionChars;
  const rankingTakenAt =
    props.rankingTakenAt ?? messages.find((message) => message.metadata?.rankingTakenAt)?.metadata?.rankingTakenAt;
  const lastMessage = messages.at(-1);
  // A failed answer explains the failure in its own note, in the UI language, so the English stream error is hidden.
  const answerShowsError = lastMessage?.role === "assistant" && Boolean(lastMessage.metadata?.error);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = input.trim();
    if (!text || busy || tooLong) return;
    clearError();
    if (!request.current.conversationId && !request.current.firstQuestion) request.current.firstQuestion = text;
    void sendMessage({ text });
    setInput("");
  };

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <ConversationList
        workspaceId={props.workspaceId}
        conversations={conversations}
        activeId={conversationId}
        onRenamed={(id, title) =>
          setConversations((list) => list.map((item) => (item.id === id ? { ...item, title } : item)))
        }
        onDeleted={(id) => {
          setConversations((list) => list.filter((item) => item.id !== id));
          if (id === conversationId) window.location.assign(chatUrl(props.workspaceId));
        }}
      />
      <div className="flex min-w-0 flex-col gap-4">
        {rankingTakenAt ? (
          <p className="text-xs text-slate-500" data-testid="ranking-snapshot-time">
            {t("snapshot", {
              time: format.dateTime(new Date(rankingTakenAt), { dateStyle: "medium", timeStyle: "short" }),
            })}
          </p>
        ) : null}
        <ol className="flex flex-col gap-4" aria-live="polite" aria-busy={busy}>
          {messages.map((message) => (
            <li key={message.id} data-message-role={message.role} className={message.role === "user" ? "self-end" : ""}>
              {message.role === "user" ? (
                <p className="max-w-prose rounded-lg bg-indigo-600 px-3 py-2 text-sm whitespace-pre-wrap text-white">
                  <span className="sr-only">{t("you")} </span>
                  {messageText(message)}
                </p>
              ) : (
                <article
                  aria-label={t("assistant")}
                  className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
                >
                  <Answer message={message} workspaceId={props.workspaceId} />
                </article>
              )}
            </li>
          ))}
        </ol>
        {status === "submitted" ? <p className="text-sm text-slate-500">{t("thinking")}</p> : null}
        {apiError && conversationBusy ? (
          <Alert tone="info">{localizeError(apiError)}</Alert>
        ) : apiError && !answerShowsError ? (
          <Alert tone="error">{t("failed", { message: localizeError(apiError) })}</Alert>
        ) : null}

        <form onSubmit={submit} className="flex flex-col gap-2">
          <label htmlFor="chat-question" className="text-sm font-medium text-slate-800">
            {t("inputLabel")}
          </label>
          <textarea
            id="chat-question"
            value={input}
            onChange={(event) => setInput(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
            rows={2}
            aria-invalid={tooLong}
            aria-describedby={tooLong ? "chat-question-too-long" : undefined}
            placeholder={t("inputPlaceholder")}
            className="rounded-md border border-slate-300 px-3 py-2 text-sm text-slate-900 shadow-sm focus-visible:border-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600"
          />
          {tooLong ? (
            <p id="chat-question-too-long" className="text-sm text-red-700">
              {t("tooLong", { max: props.maxQuestionChars })}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" disabled={busy || !input.trim() || tooLong}>
              {t("send")}
            </Button>
            {busy ? (
              <Button variant="secondary" onClick={() => void stop()}>
                {t("stop")}
              </Button>
            ) : null}
            {!busy && lastMessage ? (
              <Button variant="ghost" onClick={() => void regenerate()}>
                {t("regenerate")}
              </Button>
            ) : null}
          </div>
        </form>
      </div>
    </div>
  );
}
