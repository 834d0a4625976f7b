"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { InputEditor } from "@/components/backlog/input-editor";
import { useNumberFormat } from "@/components/backlog/input-value";
import { EvidenceChip } from "@/components/backlog/item-detail";
import { SourceBadge } from "@/components/backlog/source-badge";
import { Button } from "@/components/ui/button";
import type { EvidenceView, PrioritizationBatchView, ProposalView } from "@/lib/prioritization/ai-runs";
import type { RankChange } from "@/lib/prioritization/changes";

/**
 * Tell whether accepting the proposal would change the input: it has a value, and the input has
 * no PM value, which an accepted proposal never replaces.
 */
export function isAcceptable(proposal: ProposalView): boolean {
  return proposal.status === "proposed" && proposal.value !== null && proposal.current?.source !== "pm";
}

/**
 * Return the status a proposal is shown with. A PM value settles the pending proposals of its
 * input as rejected, so those show as overridden.
 */
export function describeProposalStatus(
  proposal: Pick<ProposalView, "status" | "overridden">,
): ProposalView["status"] | "overridden" {
  return proposal.status === "rejected" && proposal.overridden ? "overridden" : proposal.status;
}

export type ReviewSelection = { action: "accept" | "reject" } & (
  | { proposalIds: string[] }
  | { batchId: string }
  | { runId: string }
);

interface BatchProposalsProps {
  workspaceId: string;
  batch: PrioritizationBatchView;
  evidence: Record<string, EvidenceView>;
  canReview: boolean;
  busy: boolean;
  onReview: (selection: ReviewSelection) => void;
  onOverridden: (changes: RankChange[]) => void;
}

/**
 * Render a validated batch's proposals, grouped by item, each with its rationale and cited
 * documents. The PM accepts or rejects one proposal or the whole batch, or overrides the input with a reason.
 */
export function BatchProposals(props: BatchProposalsProps) {
  const { batch, canReview, busy, onReview } = props;
  const t = useTranslations("prioritize.review");
  const pending = batch.proposals.filter((proposal) => proposal.status === "proposed");
  const acceptable = pending.filter(isAcceptable);
  const items = [...new Set(batch.proposals.map((proposal) => proposal.itemId))];

  return (
    <div className="flex flex-col gap-2">
      {canReview && pending.length > 0 ? (
        <div className="flex flex-wrap gap-2">
          <Button
            variant="secondary"
            disabled={busy || acceptable.length === 0}
            onClick={() => onReview({ action: "accept", batchId: batch.id })}
          >
            {t("acceptBatch", { count: acceptable.length })}
          </Button>
          <Button variant="ghost" disabled={busy} onClick={() => onReview({ action: "reject", batchId: batch.id })}>
            {t("rejectBatch", { count: pending.length })}
          </Button>
        </div>
      ) : null}
      {batch.filtered && (batch.filtered.unknownEvidenceIds.length > 0 || batch.filtered.dropped.length > 0) ? (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="filtered-note">
          {t("filtered", {
            ids: batch.filtered.unknownEvidenceIds.join(", ") || "—",
            dropped: batch.filtered.dropped.length,
          })}
        </p>
      ) : null}
      <ul className="flex flex-col gap-2">
        {items.map((itemId) => (
          <ItemProposals
            key={itemId}
            {...props}
            proposals={batch.proposals.filter((proposal) => proposal.itemId === itemId)}
          />
        ))}
      </ul>
    </div>
  );
}

function ItemProposals({ proposals, workspaceId, ...props }: BatchProposalsProps & { proposals: ProposalView[] }) {
  const t = useTranslations("prioritize.review");
  const first = proposals[0];
  if (!first) return null;
  return (
    <li
      className="rounded-md border border-slate-200 bg-white p-3"
      data-testid="item-proposals"
      data-item-ref={first.itemRef}
    >
      <p className="flex flex-wrap items-baseline gap-2 text-sm">
        <Link
          href={`/w/${workspaceId}/backlog/items/${first.itemId}`}
          className="font-medium text-slate-900 hover:underline"
        >
          <span className="mr-1 font-mono text-xs text-slate-500">{first.itemRef}</span>
          {first.itemTitle}
        </Link>
        <span className="text-xs text-slate-600" data-testid="item-rank">
          {first.itemRank === null ? t("needsInputNow") : t("rankNow", { rank: first.itemRank })}
        </span>
      </p>
      <ul className="mt-2 flex flex-col gap-2">
        {proposals.map((proposal) => (
          <ProposalRow key={proposal.id} proposal={proposal} workspaceId={workspaceId} {...props} />
        ))}
      </ul>
    </li>
  );
}

function ProposalRow({
  proposal,
  workspaceId,
  evidence,
  canReview,
  busy,
  onReview,
  onOverridden,
}: BatchProposalsProps & { proposal: ProposalView }) {
  const t = useTranslations("prioritize.review");
  const tInputs = useTranslations("backlog.inputs");
  const format = useNumberFormat();
  const [overriding, setOverriding] = useState(false);
  // The buttons of every proposal show the same words, so their accessible names add the input and the item.
  const target = { input: tInputs(proposal.input), item: proposal.itemRef };

  return (
    <li
      className="border-t border-slate-100 pt-2 text-sm"
      data-testid="proposal"
      data-input={proposal.input}
      data-status={proposal.status}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-medium text-slate-800">{tInputs(proposal.input)}</span>
        <span className="font-mono font-semibold text-violet-800" data-testid="proposed-value">
          {proposal.value === null ? t("insufficientEvidence") : format(proposal.value)}
        </span>
        <span className="text-xs text-slate-600">
          {proposal.current ? (
            <span className="inline-flex items-center gap-1">
              {t("current")} {format(proposal.current.value)} <SourceBadge source={proposal.current.source} />
            </span>
          ) : (
            t("noCurrent")
          )}
        </span>
        <span className="text-xs font-medium text-slate-600" data-testid="proposal-status">
          {t(`statuses.${describeProposalStatus(proposal)}`)}
        </span>
        {canReview ? (
          <span className="ml-auto flex gap-1">
            {isAcceptable(proposal) ? (
              <Button
                variant="secondary"
                disabled={busy}
                aria-label={t("acceptLabel", target)}
                onClick={() => onReview({ action: "accept", proposalIds: [proposal.id] })}
              >
                {t("accept")}
              </Button>
            ) : null}
            {proposal.status === "proposed" ? (
              <Button
                variant="ghost"
                disabled={busy}
                aria-label={t("rejectLabel", target)}
                onClick={() => onReview({ action: "reject", proposalIds: [proposal.id] })}
              >
                {t("reject")}
              </Button>
            ) : null}
            <Button
              variant="ghost"
              aria-label={t("overrideLabel", target)}
              onClick={() => setOverriding((value) => !value)}
              aria-expanded={overriding}
            >
              {t("override")}
            </Button>
          </span>
        ) : null}
      </div>
      {proposal.status === "proposed" && proposal.value !== null && proposal.current?.source === "pm" ? (
        <p className="mt-1 text-xs text-slate-600" data-testid="pm-value-kept">
          {t("pmValueKept")}
        </p>
      ) : null}
      {proposal.rationale ? <p className="mt-1 text-slate-700">{proposal.rationale}</p> : null}
      {proposal.evidenceIds.length > 0 ? (
        <ul className="mt-1 flex flex-wrap gap-1" aria-label={t("evidence")}>
          {proposal.evidenceIds.map((id) => (
            <EvidenceChip key={id} workspaceId={workspaceId} id={id} document={evidence[id]} />
          ))}
        </ul>
      ) : null}
      {overriding ? (
        <div className="mt-2 rounded bg-slate-50 p-2">
          <InputEditor
            workspaceId={workspaceId}
            itemId={proposal.itemId}
            input={proposal.input}
            initialValue={proposal.value ?? proposal.current?.value ?? null}
            submitLabel={t("saveOverride")}
            onChanged={(changes) => {
              setOverriding(false);
              onOverridden(changes);
            }}
          />
        </div>
      ) : null}
    </li>
  );
}
