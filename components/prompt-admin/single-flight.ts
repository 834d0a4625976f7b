import { useCallback, useRef, useState } from "react";

/**
 * Create a guard that runs one async action at a time. A call made while an action is pending
 * returns undefined without running, so a double-click sends one request even before the
 * disabled state of its button renders.
 */
export function createSingleFlight() {
  let pending = false;
  return async function runOnce<T>(action: () => Promise<T>): Promise<T | undefined> {
    if (pending) return undefined;
    pending = true;
    try {
      return await action();
    } finally {
      pending = false;
    }
  };
}

/** Hook form of `createSingleFlight`, with `busy` to disable the buttons that start the action. */
export function useSingleFlight() {
  const guard = useRef(createSingleFlight());
  const [busy, setBusy] = useState(false);
  const runOnce = useCallback(
    <T>(action: () => Promise<T>) =>
      guard.current(async () => {
        setBusy(true);
        try {
          return await action();
        } finally {
          setBusy(false);
        }
      }),
    [],
  );
  return { busy, runOnce };
}
