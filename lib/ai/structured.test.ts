import { describe, expect, it } from "vitest";
import { z } from "zod";
import { feedbackSummarySchema, prioritizationProposalsSchema } from "@/lib/tasks/schemas";
import { azureSupportsJsonSchema, chooseStructuredMode, mentionsJson, toStrictJsonSchema } from "./structured";

type Node = Record<string, unknown>;

/** Visit every object schema in a JSON Schema tree. */
function objectSchemas(node: unknown, found: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const child of node) objectSchemas(child, found);
  else if (node && typeof node === "object") {
    const record = node as Node;
    if (record.type === "object") found.push(record);
    for (const value of Object.values(record)) objectSchemas(value, found);
  }
  return found;
}

describe("toStrictJsonSchema", () => {
  it("requires every property and forbids others", () => {
    const schema = toStrictJsonSchema(prioritizationProposalsSchema);

    for (const object of objectSchemas(schema)) {
      expect(object.required).toEqual(Object.keys(object.properties as object));
      expect(object.additionalProperties).toBe(false);
    }
  });

  it("turns optional fields into nullable required ones", () => {
    const schema = toStrictJsonSchema(z.object({ name: z.string(), note: z.string().optional() })) as Node;
    const properties = schema.properties as Record<string, Node>;

    expect(schema.required).toEqual(["name", "note"]);
    expect(properties.note?.type).toEqual(["string", "null"]);
    expect(properties.name?.type).toBe("string");
  });

  it("keeps nullable fields as they are", () => {
    const schema = toStrictJsonSchema(z.object({ value: z.number().nullable() })) as Node;
    const value = (schema.properties as Record<string, Node>).value as Node;

    expect(JSON.stringify(value)).toContain('"null"');
    expect(JSON.stringify(value).match(/"null"/g)).toHaveLength(1);
  });

  it("drops keywords strict mode rejects", () => {
    const text = JSON.stringify(toStrictJsonSchema(feedbackSummarySchema));

    expect(text).not.toContain("maxLength");
    expect(text).not.toContain("minLength");
    expect(text).not.toContain("maxItems");
    expect(text).not.toContain("$schema");
  });

  it("keeps enums and descriptions", () => {
    const text = JSON.stringify(toStrictJsonSchema(prioritizationProposalsSchema));

    expect(text).toContain('"enum":["reach"');
    expect(text).toContain("ids of evidence items given in the prompt");
  });
});

describe("azureSupportsJsonSchema", () => {
  it.each([
    [undefined, true],
    ["v1", true],
    ["preview", true],
    ["2024-08-01-preview", true],
    ["2024-10-21", true],
    ["2024-06-01", false],
    ["2024-02-15-preview", false],
  ])("api-version %s → %s", (version, expected) => {
    expect(azureSupportsJsonSchema(version)).toBe(expected);
  });
});

describe("chooseStructuredMode", () => {
  const azureOld = {
    kind: "azure" as const,
    endpoint: "https://x.openai.azure.com",
    apiKey: "k",
    apiVersion: "2024-06-01",
    models: { fast: "a", smart: "b" },
  };
  const openai = { kind: "openai" as const, apiKey: "k", models: { fast: "a", smart: "b" } };

  it("uses json_schema where supported", () => {
    expect(chooseStructuredMode({ requested: "auto", setting: "auto", provider: openai, hasSchema: true })).toEqual({
      mode: "json_schema",
    });
  });

  it("falls back to JSON mode on old Azure versions with a reason", () => {
    const decision = chooseStructuredMode({ requested: "auto", setting: "auto", provider: azureOld, hasSchema: true });

    expect(decision.mode).toBe("json_object");
    expect(decision.downgradeReason).toContain("2024-06-01");
  });

  it("follows the setting and the request", () => {
    expect(
      chooseStructuredMode({ requested: "auto", setting: "json_object", provider: openai, hasSchema: true }).mode,
    ).toBe("json_object");
    expect(
      chooseStructuredMode({ requested: "json_object", setting: "auto", provider: openai, hasSchema: true }).mode,
    ).toBe("json_object");
  });

  it("uses JSON mode without a schema", () => {
    expect(chooseStructuredMode({ requested: "auto", setting: "auto", provider: openai, hasSchema: false }).mode).toBe(
      "json_object",
    );
  });
});

describe("mentionsJson", () => {
  it("finds the word in any message, in any case", () => {
    expect(mentionsJson([{ content: "Answer with a JSON object." }])).toBe(true);
    expect(mentionsJson([{ content: "Answer briefly." }, { content: "use json" }])).toBe(true);
  });

  it("reports its absence", () => {
    expect(mentionsJson([{ content: "Answer briefly." }])).toBe(false);
  });
});
