/**
 * Benchmark 6 (repair and validation throughput): answers per second that the pipeline's parse,
 * repair and zod validation step handles for a typical 2 KB prioritization answer, clean and
 * broken. Broken answers cycle through every malformation the simulator can send that the repair
 * step fixes in place (fences, prose, trailing commas, comments, single quotes, raw line breaks and
 * more); the others, listed as `correctedKinds`, cost a correction request to the model instead.
 * Runs in this process on one core.
 *
 *   npx tsx bench/repair-throughput.ts [--seconds 2]
 *
 * Prints JSON: answer size in bytes and answers per second for clean and broken answers.
 */
import { parseArgs } from "node:util";
import { malformations } from "@/lib/ai/simulator/malformed";
import { parseModelOutput } from "@/lib/pipeline/repair";
import { validateOutput } from "@/lib/pipeline/validate";
import { type PrioritizationProposals, prioritizationProposalsSchema } from "@/lib/tasks/schemas";

/** A prioritization answer of about 2 KB: four items, with two or three proposals each. */
export function buildTypicalAnswer(): string {
  const answer: PrioritizationProposals = {
    items: ["A01", "A02", "A03", "A04"].map((id, index) => ({
      item_id: id,
      proposals: [
        {
          input: "reach",
          value: 400 + index * 150,
          rationale: `Feedback for ${id} comes from about ${400 + index * 150} accounts a quarter, counted from the cited threads.`,
          evidence_ids: [`AF0${index + 10}`, `AF0${index + 20}`],
          insufficient_evidence: false,
        },
        {
          input: "impact",
          value: index % 2 === 0 ? 2 : 1,
          rationale: `Users describe ${id} as blocking a weekly workflow, which is a high impact on the RICE scale.`,
          evidence_ids: [`AF0${index + 10}`],
          insufficient_evidence: false,
        },
        ...(index % 2 === 0
          ? [
              {
                input: "confidence" as const,
                value: null,
                rationale: `No evidence gives a measured figure for ${id}, so confidence is left to the PM.`,
                evidence_ids: [],
                insufficient_evidence: true,
              },
            ]
          : []),
      ],
    })),
  };
  return JSON.stringify(answer);
}

function processAnswer(text: string): void {
  const parsed = parseModelOutput(text);
  if (!parsed.ok) throw new Error(`the benchmark answer did not parse: ${parsed.message}`);
  const validated = validateOutput(prioritizationProposalsSchema, parsed.value);
  if (!validated.ok) throw new Error(`the benchmark answer did not validate: ${JSON.stringify(validated.issues)}`);
}

/** Process `answers` in a loop for about `seconds` and return answers per second. */
function measureRate(answers: readonly string[], seconds: number): number {
  for (let index = 0; index < 200; index++) processAnswer(answers[index % answers.length] as string);
  let processed = 0;
  const startedAt = performance.now();
  const until = startedAt + seconds * 1000;
  while (performance.now() < until) {
    for (let index = 0; index < 50; index++) processAnswer(answers[(processed + index) % answers.length] as string);
    processed += 50;
  }
  return processed / ((performance.now() - startedAt) / 1000);
}

/** Tell whether the repair step fixes the answer in place; other breakages go back to the model as a correction. */
function isRepairedInPlace(text: string): boolean {
  const parsed = parseModelOutput(text);
  return parsed.ok && validateOutput(prioritizationProposalsSchema, parsed.value).ok;
}

export function measureRepairThroughput(seconds: number) {
  const clean = buildTypicalAnswer();
  const kinds = Object.entries(malformations).map(([kind, malform]) => ({ kind, text: malform(clean) }));
  const repaired = kinds.filter((entry) => isRepairedInPlace(entry.text));
  const broken = repaired.map((entry) => entry.text);
  return {
    answerBytes: Buffer.byteLength(clean),
    brokenKinds: repaired.map((entry) => entry.kind),
    correctedKinds: kinds.filter((entry) => !repaired.includes(entry)).map((entry) => entry.kind),
    cleanPerSecond: Math.round(measureRate([clean], seconds)),
    brokenPerSecond: Math.round(measureRate(broken, seconds)),
  };
}

const { values } = parseArgs({ options: { seconds: { type: "string", default: "2" } }, strict: false });
process.stdout.write(
  `${JSON.stringify({ benchmark: "repair-throughput", ...measureRepairThroughput(Number(values.seconds)) }, null, 2)}\n`,
);
