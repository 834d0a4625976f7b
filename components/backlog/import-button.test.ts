import { describe, expect, it } from "vitest";
import { getImportButtonState } from "./import-button";

const mapped = { titleMapped: true, skipInvalid: false };

describe("getImportButtonState", () => {
  it("imports every row of a valid file", () => {
    const state = getImportButtonState({ rowCount: 3, validRowCount: 3, errorCount: 0 }, mapped);

    expect(state).toEqual({ rowCount: 3, enabled: true });
  });

  it("waits for skipping invalid rows", () => {
    const preview = { rowCount: 3, validRowCount: 2, errorCount: 1 };

    expect(getImportButtonState(preview, mapped)).toEqual({ rowCount: 2, enabled: false });
    expect(getImportButtonState(preview, { ...mapped, skipInvalid: true })).toEqual({ rowCount: 2, enabled: true });
  });

  it("disables the button when every row is invalid", () => {
    const state = getImportButtonState(
      { rowCount: 1, validRowCount: 0, errorCount: 2 },
      { titleMapped: true, skipInvalid: true },
    );

    expect(state.rowCount).toBe(0);
    expect(state.enabled).toBe(false);
  });

  it("disables the button for a file without rows", () => {
    const state = getImportButtonState({ rowCount: 0, validRowCount: 0, errorCount: 0 }, mapped);

    expect(state.enabled).toBe(false);
  });

  it("disables the button without a title column", () => {
    const state = getImportButtonState(
      { rowCount: 3, validRowCount: 3, errorCount: 0 },
      { titleMapped: false, skipInvalid: false },
    );

    expect(state.enabled).toBe(false);
  });
});
