/**
 * A small instance that is valid against a JSON Schema, for structured-output requests whose schema
 * the simulator does not know. Covers the subset that strict structured outputs use: objects,
 * arrays, scalars, enum, const, anyOf/oneOf, type unions and local `$ref`s.
 */
type Schema = Record<string, unknown>;

export function createSchemaInstance(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (!schema || typeof schema !== "object" || depth > 12) return null;
  const node = schema as Schema;

  if (typeof node.$ref === "string") return createSchemaInstance(resolveRef(root, node.$ref), root, depth + 1);
  if ("const" in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];

  const variants = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) {
    const preferred = variants.find((variant) => (variant as Schema).type !== "null") ?? variants[0];
    return createSchemaInstance(preferred, root, depth + 1);
  }
  if (Array.isArray(node.allOf) && node.allOf.length > 0) return createSchemaInstance(node.allOf[0], root, depth + 1);

  const type = Array.isArray(node.type) ? (node.type.find((entry) => entry !== "null") ?? "null") : node.type;
  switch (type) {
    case "object":
      return createObject(node, root, depth);
    case "array": {
      const count = Math.max(1, typeof node.minItems === "number" ? node.minItems : 1);
      const limited = typeof node.maxItems === "number" ? Math.min(count, node.maxItems) : count;
      return Array.from({ length: limited }, () => createSchemaInstance(node.items, root, depth + 1));
    }
    case "string":
      return createString(node);
    case "integer":
    case "number":
      return createNumber(node, type === "integer");
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return node.properties ? createObject(node, root, depth) : null;
  }
}

function createObject(node: Schema, root: unknown, depth: number): Record<string, unknown> {
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(properties).map(([name, child]) => [name, createSchemaInstance(child, root, depth + 1)]),
  );
}

function createString(node: Schema): string {
  if (node.format === "date-time") return "2025-01-01T00:00:00Z";
  if (node.format === "date") return "2025-01-01";
  if (node.format === "email") return "someone@example.com";
  if (node.format === "uri" || node.format === "url") return "https://example.com";
  let text = "simulated text";
  if (typeof node.minLength === "number") text = text.padEnd(node.minLength, ".");
  if (typeof node.maxLength === "number") text = text.slice(0, node.maxLength);
  return text;
}

function createNumber(node: Schema, integer: boolean): number {
  const minimum = typeof node.minimum === "number" ? node.minimum : undefined;
  const exclusiveMinimum = typeof node.exclusiveMinimum === "number" ? node.exclusiveMinimum : undefined;
  const maximum = typeof node.maximum === "number" ? node.maximum : undefined;
  let value = minimum ?? (exclusiveMinimum !== undefined ? exclusiveMinimum + 1 : 1);
  if (maximum !== undefined && value > maximum) value = maximum;
  return integer ? Math.ceil(value) : value;
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let current: unknown = root;
  for (const segment of ref.slice(2).split("/")) {
    current = (current as Schema | undefined)?.[segment.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return current;
}
