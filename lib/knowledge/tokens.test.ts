import { Tiktoken } from "js-tiktoken/lite";
import cl100kBase from "js-tiktoken/ranks/cl100k_base";
import { describe, expect, it } from "vitest";
import { countTokens, splitByTokens } from "./tokens";

const reference = new Tiktoken(cl100kBase);

/** A deterministic pseudo-random generator, so a failing sample can be reproduced. */
function randomGenerator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function expectPiecesCover(text: string, pieces: ReturnType<typeof splitByTokens>, maxTokens: number): void {
  expect(pieces[0]?.start).toBe(0);
  expect(pieces.at(-1)?.end).toBe(text.length);
  for (let index = 0; index < pieces.length; index++) {
    const piece = pieces[index];
    expect(piece?.start).toBe(index === 0 ? 0 : pieces[index - 1]?.end);
    expect(piece?.end).toBeGreaterThan(piece?.start ?? 0);
    expect(piece?.tokens).toBeLessThanOrEqual(maxTokens);
  }
}

describe("countTokens", () => {
  it("matches js-tiktoken on sample texts", () => {
    const samples = [
      "Sentence number 1 explains why customers export dashboards to spreadsheets every week.",
      "x".repeat(1000),
      "中文文本没有空格".repeat(40),
      "😀🎉👍🏽".repeat(40),
      "naïve café résumé — “quotes” ½ ∑",
      "   leading and   multiple    spaces\n\n\n\ttabs\r\n",
      "1234567890".repeat(20),
      "=".repeat(300),
      "Здравствуйте, мир! Γειά σου Κόσμε. مرحبا بالعالم",
      "I'll we've they're IT'S",
      `${" ".repeat(500)}x`,
    ];
    for (const sample of samples) expect(countTokens(sample)).toBe(reference.encode(sample).length);
  });

  it("matches js-tiktoken on random texts", () => {
    const alphabet = ["a", "b", "x", " ", "\n", "é", "中", "😀", "1", "#", ".", "'", "s", "\t", "\ud83d"];
    const random = randomGenerator(7);
    for (let sample = 0; sample < 2000; sample++) {
      let text = "";
      const length = Math.floor(random() * 60);
      for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(countTokens(text), JSON.stringify(text)).toBe(reference.encode(text).length);
    }
  });

  it("counts special-token text as plain text", () => {
    expect(countTokens("<|endoftext|>")).toBe(reference.encode("<|endoftext|>", [], []).length);
  });

  it("counts a 1 MB word", { timeout: 20_000 }, () => {
    const tokens = countTokens("x".repeat(1_000_000));

    expect(tokens).toBeGreaterThan(1_000_000 / 128);
    expect(tokens).toBeLessThan(1_000_000);
  });
});

describe("splitByTokens", () => {
  it("returns pieces that concatenate to the text", () => {
    const text = Array.from({ length: 300 }, (_, index) => `token${index}`).join(" ");
    const pieces = splitByTokens(text, 50);

    expect(pieces.map((piece) => text.slice(piece.start, piece.end)).join("")).toBe(text);
    for (const piece of pieces) expect(countTokens(text.slice(piece.start, piece.end))).toBeLessThanOrEqual(50);
  });

  it("cuts after the last space in the window", () => {
    const text = Array.from({ length: 300 }, (_, index) => `token${index}`).join(" ");
    const pieces = splitByTokens(text, 50);

    for (const piece of pieces.slice(0, -1)) expect(text[piece.end - 1]).toBe(" ");
  });

  it("splits a 1 MB line without spaces", { timeout: 20_000 }, () => {
    const text = "x".repeat(1_000_000);
    const pieces = splitByTokens(text, 400);

    expectPiecesCover(text, pieces, 400);
    expect(pieces.length).toBeLessThan(1_000_000 / 400);
    for (const piece of pieces.slice(0, 20)) {
      expect(piece.tokens).toBe(countTokens(text.slice(piece.start, piece.end)));
    }
  });

  it("keeps characters whole in CJK and emoji", { timeout: 20_000 }, () => {
    const text = "中文文本没有空格😀🎉👍🏽㊙️".repeat(20_000);
    const pieces = splitByTokens(text, 64);

    expectPiecesCover(text, pieces, 64);
    for (const piece of pieces) {
      const last = text.charCodeAt(piece.end - 1);
      const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
      expect(isHighSurrogate).toBe(false);
    }
    for (const piece of pieces.slice(0, 50)) {
      expect(piece.tokens).toBe(countTokens(text.slice(piece.start, piece.end)));
    }
  });

  it("rejects a limit below 4 tokens", () => {
    expect(() => splitByTokens("text", 3)).toThrow(/maxTokens/);
  });
});
