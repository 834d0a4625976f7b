"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useLocalizeServerError } from "@/components/server-error";
import { Button } from "@/components/ui/button";
import { parseServerErrorBody } from "@/lib/i18n/server-errors";

const retryLabelKeys = { batches: "retry", unfinished: "retryUnfinished", run: "runAgain" } as const;

/** Refresh interval of the page while events arrive, in milliseconds; bursts of events coalesce. */
const REFRESH_THROTTLE_MS = 750;

/**
 * Live updates and actions of a run page: listens to the run's event stream and refreshes the
 * server-rendered page as events arrive, and offers cancel (active runs) or retry. `retry` is
 * `batches` for a run with failed batches that a retry re-runs (see `countRetryBatches`), and
 * `unfinished` when those include cancelled batches. It is `run` for a run cancelled before its
 * batches were planned (it starts again whole), and null when there is nothing to retry. The
 * stream resumes by itself after a dropped connection (EventSource retries with `Last-Event-ID`).
 */
export function RunControls(props: {
  runId: string;
  active: boolean;
  retry: "batches" | "unfinished" | "run" | null;
  canAct: boolean;
}) {
  const t = useTranslations("runs.detail");
  const localizeError = useLocalizeServerError();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    if (!props.active) return;
    const source = new EventSource(`/api/v1/runs/${props.runId}/events`);
    const refresh = () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        router.refresh();
      }, REFRESH_THROTTLE_MS);
    };
    for (const type of ["batch_started", "attempt", "batch_result", "batch_failed", "batch_requeued"]) {
      source.addEventListener(type, refresh);
    }
    source.addEventListener("run_finished", () => {
      source.close();
      router.refresh();
    });
    return () => {
      source.close();
      if (timer.current) clearTimeout(timer.current);
    };
  }, [props.active, props.runId, router]);

  async function act(action: "cancel" | "retry") {
    setPending(true);
    setError(null);
    const response = await fetch(`/api/v1/runs/${props.runId}/${action}`, { method: "POST" }).catch(() => null);
    setPending(false);
    if (!response?.ok) {
      const serverError = parseServerErrorBody(await response?.json().catch(() => null));
      setError(serverError ? localizeError(serverError) : t(action === "cancel" ? "cancelFailed" : "retryFailed"));
      return;
    }
    router.refresh();
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex items-center gap-2">
        {props.active ? (
          <span className="text-sm text-slate-600" role="status">
            {t("live")}
          </span>
        ) : null}
        {props.canAct && props.active ? (
          <Button variant="danger" disabled={pending} onClick={() => act("cancel")}>
            {t("cancel")}
          </Button>
        ) : null}
        {props.canAct && props.retry ? (
          <Button variant="secondary" disabled={pending} onClick={() => act("retry")}>
            {t(retryLabelKeys[props.retry])}
          </Button>
        ) : null}
      </div>
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
