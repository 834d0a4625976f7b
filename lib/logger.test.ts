import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { omitQueryParams, serializeError } from "./logger";

describe("serializeError", () => {
  it("drops failed query parameters", () => {
    const cause = new Error('insert or update on table "user" violates a foreign key constraint');
    const error = new DrizzleQueryError('insert into "user" ("email", "password_hash") values ($1, $2)', [
      "pm@example.com",
      "$argon2id$v=19$secret-hash",
    ]);
    Object.assign(error, { cause });

    const serialized = JSON.stringify(serializeError(error));

    expect(serialized).not.toContain("secret-hash");
    expect(serialized).not.toContain("pm@example.com");
    expect(serialized).toContain('insert into \\"user\\"');
    expect(serialized).toContain("params: [omitted]");
    expect(serialized).toContain("violates a foreign key constraint");
  });

  it("leaves other errors as they are", () => {
    const serialized = serializeError(new Error("The model endpoint failed with HTTP 500.")) as { message: string };

    expect(serialized.message).toBe("The model endpoint failed with HTTP 500.");
  });

  it("cuts the SQL text of a failed query", () => {
    const placeholders = Array.from({ length: 100_000 }, (_, index) => `$${index + 2}`).join(", ");
    const query = `select * from "document" where "item_id" in (${placeholders})`;
    const error = new DrizzleQueryError(query, []);
    Object.assign(error, { cause: Object.assign(new Error("too many parameters"), { query }) });

    const serialized = serializeError(error) as { query: string; message: string };

    expect(serialized.query).toHaveLength(4001);
    expect(serialized.query.startsWith('select * from "document"')).toBe(true);
    expect(serialized.message.length).toBeLessThanOrEqual(4001);
    expect(JSON.stringify(serialized).length).toBeLessThan(20_000);
  });

  it("cuts very long messages", () => {
    expect(omitQueryParams("x".repeat(10_000))).toHaveLength(4001);
  });

  it("hides passwords of connection URLs", () => {
    const error = new Error("connect ECONNREFUSED postgres://rankwise:hunter2@db:5432/rankwise");

    const serialized = serializeError(error) as { message: string; stack: string };

    expect(serialized.message).toBe("connect ECONNREFUSED postgres://rankwise:[redacted]@db:5432/rankwise");
    expect(serialized.stack).not.toContain("hunter2");
  });
});
