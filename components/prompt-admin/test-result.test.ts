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

  function render(locale: "en" | "fr"): string {
    // createElement's types want `children` among the props, though it is passed as the third argument.
    const config = { locale, timeZone: "UTC", messages: locale === "en" ? en : fr } as unknown as ComponentProps<
      typeof NextIntlClientProvider
    >;
    const detail = createElement(TestResultDetail, {
      result,
      assertions: [{ kind: "max_latency_ms", value: 60_000 }],
    });
    return renderToStaticMarkup(createElement(NextIntlClientProvider, config, detail));
  }

  it("puts a colon after an assertion in English", () => {
    expect(render("en")).toContain("✓ takes at most 60,000 ms: held (1200)");
  });

  it("puts a spaced colon after an assertion in French", () => {
    expect(render("fr")).toContain("✓ prend au plus 60\u202f000 ms : vérifié (1200)");
  });
});
