import type { TextStreamPart, ToolSet } from "ai";

/** A complete citation group at the start of a string: `[2]`, `[1, 3]` or `[1;3]`. */
const citationGroup = /^\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/;
/** What a citation group may look like before its closing bracket has streamed in. */
const citationPrefix = /^\[[\d\s,;]*$/;
/** Held text longer than this is not a citation, so it is released as written. */
const MAX_HELD_CITATION = 32;

/**
 * Validates `[n]` citations in streamed text against the numbers of the sources the model was
 * given. A group is rewritten as `[1][3]` with only known numbers; a group with none is removed
 * with the space before it. Text that may still turn into a citation is held back until the next
 * chunk decides (or `flush`), so an unknown number never reaches the client, even split across chunks.
 */
export class CitationFilter {
  private held = "";
  private readonly removed = new Set<number>();
  private readonly cited = new Set<number>();

  constructor(private readonly known: ReadonlySet<number>) {}

  /** Numbers that were cited but not among the sources, in order of first removal. */
  get removedNumbers(): number[] {
    return [...this.removed];
  }

  /** Known numbers the text cites. */
  get citedNumbers(): number[] {
    return [...this.cited].sort((a, b) => a - b);
  }

  /** Add streamed text; returns the part that is safe to send now. */
  push(text: string): string {
    this.held += text;
    return this.release(false);
  }

  /** Return everything still held, at the end of a text block. */
  flush(): string {
    return this.release(true);
  }

  private release(final: boolean): string {
    let output = "";
    for (;;) {
      const index = this.held.indexOf("[");
      if (index < 0) {
        // Trailing spaces wait too: they go if a removed citation follows.
        const keep = final ? "" : (this.held.match(/ +$/)?.[0] ?? "");
        output += this.held.slice(0, this.held.length - keep.length);
        this.held = keep;
        return output;
      }

      const before = this.held.slice(0, index);
      const rest = this.held.slice(index);
      const group = rest.match(citationGroup);
      if (group) {
        const replacement = this.rewrite(group[1] as string);
        output += replacement ? before + replacement : before.replace(/ +$/, "");
        this.held = rest.slice(group[0].length);
        continue;
      }
      if (!final && citationPrefix.test(rest) && rest.length < MAX_HELD_CITATION) {
        const spaces = before.match(/ +$/)?.[0] ?? "";
        output += before.slice(0, before.length - spaces.length);
        this.held = spaces + rest;
        return output;
      }
      output += `${before}[`;
      this.held = rest.slice(1);
    }
  }

  private rewrite(list: string): string {
    const numbers = list.split(/[,;]/).map((value) => Number(value.trim()));
    const kept: number[] = [];
    for (const number of numbers) {
      if (this.known.has(number)) {
        if (!kept.includes(number)) kept.push(number);
        this.cited.add(number);
      } else {
        this.removed.add(number);
      }
    }
    return kept.map((number) => `[${number}]`).join("");
  }
}

/**
 * An AI SDK `experimental_transform` that runs each text block through a `CitationFilter`, so the
 * client, `onFinish` and the stored answer all see the validated text.
 */
export function createCitationTransform(filter: CitationFilter) {
  return <TOOLS extends ToolSet>() =>
    new TransformStream<TextStreamPart<TOOLS>, TextStreamPart<TOOLS>>({
      transform(part, controller) {
        if (part.type === "text-delta") {
          const text = filter.push(part.text);
          if (text) controller.enqueue({ ...part, text });
          return;
        }
        if (part.type === "text-end") {
          const text = filter.flush();
          if (text) controller.enqueue({ type: "text-delta", id: part.id, text });
        }
        controller.enqueue(part);
      },
    });
}
