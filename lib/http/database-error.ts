/**
 * Fields of a Postgres error that identify what failed without the data involved. The error's
 * `detail` and `message` are left out, because they can quote the values of a row, such as
 * `Key (workspace_id, external_id)=(…, CC-7) already exists`.
 */
export interface DatabaseErrorFields {
  /** SQLSTATE, such as `23505` for a unique violation. */
  code: string;
  severity?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
  /** Postgres source function that raised the error, such as `_bt_check_unique`. */
  routine?: string;
}

/** A SQLSTATE: five digits or upper-case letters. Node socket codes such as `ECONNRESET` are not. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

function readText(source: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = source[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/**
 * Find the Postgres error in an error or its causes (Drizzle wraps the driver's error in
 * `cause`), and return its identifying fields. Reads the field names of both drivers:
 * `postgres` (`constraint_name`, `table_name`) and PGlite (`constraint`, `table`).
 * Returns undefined when no error in the chain has a SQLSTATE.
 */
export function findDatabaseError(error: unknown): DatabaseErrorFields | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const source = current as Record<string, unknown>;
    const code = source.code;
    if (typeof code === "string" && SQLSTATE.test(code)) {
      const fields: DatabaseErrorFields = {
        code,
        severity: readText(source, "severity"),
        schema: readText(source, "schema_name", "schema"),
        table: readText(source, "table_name", "table"),
        column: readText(source, "column_name", "column"),
        constraint: readText(source, "constraint_name", "constraint"),
        routine: readText(source, "routine"),
      };
      return Object.fromEntries(
        Object.entries(fields).filter(([, value]) => value !== undefined),
      ) as unknown as DatabaseErrorFields;
    }
    current = source.cause;
  }
  return undefined;
}

/** SQLSTATE of a unique_violation. */
export const UNIQUE_VIOLATION = "23505";

/**
 * Tell whether the error, or one of its causes, is a unique violation of `constraint`. A unique
 * violation whose driver does not name the constraint counts too, because the caller cannot tell.
 */
export function isUniqueViolationOf(error: unknown, constraint: string): boolean {
  const found = findDatabaseError(error);
  if (found?.code !== UNIQUE_VIOLATION) return false;
  return found.constraint === undefined || found.constraint === constraint;
}
