import { describe, expect, it } from "vitest";
import { chunkDocument } from "./chunking";
import { countTokens } from "./tokens";

function sentence(index: number): string {
  return `Sentence number ${index} explains why customers export dashboards to spreadsheets every week.`;
}

function paragraph(from: number, count: number): string {
  return Array.from({ length: count }, (_, offset) => sentence(from + offset)).join(" ");
}

describe("chunkDocument", () => {
  it("keeps every chunk within the token limit", () => {
    const content = [paragraph(0, 40), paragraph(40, 40)].join("\n\n");
    const chunks = chunkDocument(content, { maxTokens: 120, overlapTokens: 30, format: "text" });

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(120);
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
    }
  });

  it("cuts only between sentences", () => {
    const content = paragraph(0, 30);
    const chunks = chunkDocument(content, { maxTokens: 100, overlapTokens: 20, format: "text" });

    for (const chunk of chunks) {
      expect(chunk.text.startsWith("Sentence number")).toBe(true);
      expect(chunk.text.endsWith("every week.")).toBe(true);
    }
  });

  it("maps offsets back to the document", () => {
    const content = `# Exports\n\n${paragraph(0, 12)}\n\n## PDF\n\n${paragraph(12, 12)}`;
    const chunks = chunkDocument(content, { maxTokens: 80, overlapTokens: 20, format: "markdown" });

    for (const chunk of chunks) {
      expect(content.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.text);
    }
  });

  it("repeats the previous chunk's last sentences as overlap", () => {
    const content = paragraph(0, 30);
    const chunks = chunkDocument(content, { maxTokens: 100, overlapTokens: 40, format: "text" });
    const [first, second] = chunks;

    expect(first).toBeDefined();
    expect(second).toBeDefined();
    expect(second?.startOffset).toBeLessThan(first?.endOffset ?? 0);
    const repeated = content.slice(second?.startOffset, first?.endOffset);
    expect(countTokens(repeated)).toBeLessThanOrEqual(40);
    expect(repeated.startsWith("Sentence number")).toBe(true);
  });

  it("covers the whole document in order", () => {
    const content = paragraph(0, 50);
    const chunks = chunkDocument(content, { maxTokens: 90, overlapTokens: 25, format: "text" });

    expect(chunks[0]?.startOffset).toBe(0);
    expect(chunks.at(-1)?.endOffset).toBe(content.length);
    for (let index = 1; index < chunks.length; index++) {
      expect(chunks[index]?.startOffset).toBeGreaterThan(chunks[index - 1]?.startOffset ?? 0);
      expect(chunks[index]?.startOffset).toBeLessThanOrEqual(chunks[index - 1]?.endOffset ?? 0);
      expect(chunks[index]?.position).toBe(index);
    }
  });

  it("starts a chunk at a heading with its text", () => {
    const content = `# Exports\n\n${paragraph(0, 6)}\n\n## PDF subscriptions\n\nPDF attachments are requested by finance teams.`;
    const chunks = chunkDocument(content, { maxTokens: 200, overlapTokens: 30, format: "markdown" });
    const pdf = chunks.find((chunk) => chunk.text.includes("## PDF subscriptions"));

    expect(pdf).toBeDefined();
    expect(pdf?.text.startsWith("## PDF subscriptions")).toBe(true);
    expect(pdf?.text).toContain("PDF attachments are requested");
    expect(pdf?.heading).toBe("PDF subscriptions");
  });

  it("never ends a chunk on a heading", () => {
    const sections = Array.from({ length: 8 }, (_, index) => `## Section ${index}\n\n${paragraph(index * 5, 5)}`);
    const content = sections.join("\n\n");
    const chunks = chunkDocument(content, { maxTokens: 70, overlapTokens: 20, format: "markdown" });

    for (const chunk of chunks) {
      const lastLine = chunk.text.trimEnd().split("\n").at(-1) ?? "";
      expect(lastLine.startsWith("#")).toBe(false);
    }
  });

  it("keeps a short section with the next heading", () => {
    const content = "# Title\n\nShort intro.\n\n## Details\n\nThe details follow here.";
    const chunks = chunkDocument(content, { maxTokens: 200, overlapTokens: 20, format: "markdown" });

    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.heading).toBe("Title");
  });

  it("cuts an overlong sentence between words", () => {
    const content = `${Array.from({ length: 400 }, (_, index) => `word${index}`).join(" ")}.`;
    const chunks = chunkDocument(content, { maxTokens: 64, overlapTokens: 0, format: "text" });

    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(64);
      expect(chunk.text).toMatch(/^word\d+/);
    }
  });

  it("keeps a fenced code block whole", () => {
    const code = "```\nconst a = 1;\n\nconst b = 2;\n```";
    const content = `Intro sentence.\n\n${code}\n\nOutro sentence.`;
    const chunks = chunkDocument(content, { maxTokens: 200, overlapTokens: 0, format: "markdown" });

    expect(chunks[0]?.text).toContain(code);
  });

  it("repeats the CSV header in every chunk", () => {
    const rows = Array.from({ length: 60 }, (_, index) => `${index},"Customer ${index} wants PDF exports, weekly"`);
    const content = ["id,text", ...rows].join("\n");
    const chunks = chunkDocument(content, { maxTokens: 80, overlapTokens: 0, format: "csv" });

    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.startsWith("id,text\n")).toBe(true);
      expect(chunk.tokenCount).toBeLessThanOrEqual(80);
    }
  });

  it("keeps a quoted CSV line break in its row", () => {
    const content = 'id,text\n1,"first line\nsecond line"\n2,other';
    const chunks = chunkDocument(content, { maxTokens: 100, overlapTokens: 0, format: "csv" });

    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.text).toBe(content);
  });

  it("returns no chunk for blank content", () => {
    expect(chunkDocument("  \n\n ", { maxTokens: 100, overlapTokens: 10, format: "markdown" })).toEqual([]);
  });

  it("chunks a 1 MB line without spaces", { timeout: 30_000 }, () => {
    const content = "x".repeat(1_000_000);
    const chunks = chunkDocument(content, { maxTokens: 400, overlapTokens: 60, format: "text" });

    expect(chunks.length).toBeGreaterThan(1_000_000 / (400 * 128));
    expect(chunks[0]?.startOffset).toBe(0);
    expect(chunks.at(-1)?.endOffset).toBe(content.length);
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index];
      expect(chunk?.position).toBe(index);
      expect(chunk?.tokenCount).toBeLessThanOrEqual(400);
      expect(chunk?.text).toBe(content.slice(chunk?.startOffset, chunk?.endOffset));
      if (index > 0) expect(chunk?.startOffset).toBe(chunks[index - 1]?.endOffset);
    }
    for (const chunk of chunks.slice(0, 20)) expect(chunk.tokenCount).toBe(countTokens(chunk.text));
  });

  it("chunks a 1 MB paragraph of tiny sentences", { timeout: 30_000 }, () => {
    const content = "A b. ".repeat(200_000).trim();
    const chunks = chunkDocument(content, { maxTokens: 400, overlapTokens: 60, format: "markdown" });

    expect(chunks[0]?.startOffset).toBe(0);
    expect(chunks.at(-1)?.endOffset).toBe(content.length);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(400);
      expect(chunk.text.startsWith("A b.")).toBe(true);
      expect(chunk.text.endsWith("A b.")).toBe(true);
    }
  });

  it("chunks a heading with a long run of spaces", { timeout: 30_000 }, () => {
    const content = `# a${" ".repeat(100_000)}b\n\nBody text.`;
    const chunks = chunkDocument(content, { maxTokens: 400, overlapTokens: 60, format: "markdown" });

    expect(chunks[0]?.heading).toBe(`a${" ".repeat(100_000)}b`);
    expect(chunks.at(-1)?.text.endsWith("Body text.")).toBe(true);
  });

  it("rejects an overlap of half the limit or more", () => {
    expect(() => chunkDocument("text", { maxTokens: 100, overlapTokens: 50, format: "text" })).toThrow(/overlapTokens/);
  });
});
