import { createTranslator, NextIntlClientProvider } from "next-intl";
import { type ComponentProps, createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { PromptTestResult } from "@/db/schema";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { describeAssertion, TestResultDetail } from "./test-result";

// biome-ignore lint/suspicious/noExplicitAny: next-intl types undeclared catalogs this way too.
type UntypedMessages = Record<string, any>;

const english = createTranslator({ locale: "en", messages: en as UntypedMessages, namespace: "promptAdmin.tests" });
const french = createTranslator({ locale: "fr", messages: fr as UntypedMessages, namespace: "promptAdmin.tests" });

describe("describeAssertion", () => {
  it("formats a cost limit as currency", () => {
    const assertion = { kind: "max_cost_usd", value: 0.05 } as const;

    expect(describeAssertion(assertion, english)).toBe("costs at most $0.05");
    expect(describeAssertion(assertion, french)).toBe("coûte au plus 0,05\u00a0$US");
  });

  it("keeps the digits of a small cost limit", () => {
    const assertion = { kind: "max_cost_usd", value: 0.00125 } as const;

    expect(describeAssertion(assertion, english)).toBe("costs at most $0.00125");
  });

  it("formats a latency limit as a number", () => {
    const assertion = { kind: "max_latency_ms", value: 60_000 } as const;

    expect(describeAssertion(assertion, english)).toBe("takes at most 60,000 ms");
    expect(describeAssertion(assertion, french)).toBe("prend au plus 60\u202f000 ms");
  });

  it("formats range bounds for the locale", () => {
    const assertion = { kind: "range", path: "items[0].score", min: 0, max: 1_000_000_000 } as const;

    expect(describeAssertion(assertion, english)).toBe("items[0].score is between 0 and 1,000,000,000");
    expect(describeAssertion(assertion, french)).toBe(
      "items[0].score est compris entre 0 et 1\u202f000\u202f000\u202f000",
    );
  });

  it("formats decimal range bounds in French", () => {
    const assertion = { kind: "range", path: "confidence", min: 0.5, max: 1.5 } as const;

    expect(describeAssertion(assertion, french)).toBe("confidence est compris entre 0,5 et 1,5");
  });

  it("describes a range on the whole answer", () => {
    const assertion = { kind: "range", path: "", min: 0, max: 10 } as const;

    expect(describeAssertion(assertion, english)).toBe("the answer is between 0 and 10");
    expect(describeAssertion(assertion, french)).toBe("la réponse est comprise entre 0 et 10");
  });

  it("keeps small range bounds", () => {
    const assertion = { kind: "range", path: "cost", min: 0.00005, max: 0.5 } as const;

    expect(describeAssertion(assertion, french)).toBe("cost est compris entre 0,00005 et 0,5");
  });

  it("describes a range with one bound", () => {
    const atLeast = { kind: "range", path: "score", min: 1500 } as const;
    const atMost = { kind: "range", path: "score", max: 2.5 } as const;

    expect(describeAssertion(atLeast, english)).toBe("score is at least 1,500");
    expect(describeAssertion(atLeast, french)).toBe("score vaut au moins 1\u202f500");
    expect(describeAssertion(atMost, french)).toBe("score vaut au plus 2,5");
  });

  it("quotes an expected value", () => {
    const assertion = { kind: "equals", path: "items[0].item_id", value: "A01" } as const;

    expect(describeAssertion(assertion, english)).toBe('items[0].item_id equals "A01"');
  });
});

describe("TestResultDetail", () => {
  const result = {
    verdict: "passed",
    outcome: "ok",
    repairs: [],
    validationErrors: [],
    assertionResults: [{ index: 0, kind: "max_latency_ms", passed: true, actual: 1200 }],
    error: null,
    attempts: 1,
    model: "gpt-4o",
    latencyMs: 1200,
    timeToFirstTokenMs: 300,
    inputTokens: 10,
    outputTokens: 20,
    costUsd: null,
    rawText: null,
  } as unknown as PromptTestResult;

  function render(locale: "en" | "fr", overrides: Partial<PromptTestResult> = {}): string {
    // createElement's types want `children` among the props, though it is passed as the third argument.
    const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
      typeof NextIntlClientProvider
    >;
    const detail = createElement(TestResultDetail, {
      result: { ...result, ...overrides },
      assertions: [{ kind: "max_latency_ms", value: 60_000 }],
    });
    return renderToStaticMarkup(createElement(NextIntlClientProvider, config, detail));
  }

  it("puts a colon after an assertion in English", () => {
    expect(render("en")).toContain("✓ takes at most 60,000 ms: held (1,200)");
  });

  it("formats token counts and cost in French", () => {
    const html = render("fr", { inputTokens: 12_345, outputTokens: 1_024, costUsd: 0.00125 });

    expect(html).toContain("12\u202f345 en entrée, 1\u202f024 en sortie");
    expect(html).toContain("0,00125\u00a0$US");
  });

  it("formats token counts and cost in English", () => {
    const html = render("en", { inputTokens: 12_345, outputTokens: 1_024, costUsd: 0.00125 });

    expect(html).toContain("12,345 in, 1,024 out");
    expect(html).toContain("$0.00125");
  });

  it("puts a spaced colon after an assertion in French", () => {
    expect(render("fr")).toContain("✓ prend au plus 60\u202f000 ms : vérifié (1\u202f200)");
  });
});
