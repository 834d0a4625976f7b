/**
 * Abort the answer when the model sends no token within `timeoutMs`, calling `onExpire` first, so a
 * hung model ends the stream long before the gateway's whole-request timeout. The returned signal
 * also follows `requestSignal`; `clear` stops the timer once a token arrives or the stream ends.
 */
export function startFirstTokenDeadline(timeoutMs: number, requestSignal: AbortSignal, onExpire: () => void) {
  const controller = new AbortController();
  const state = { expired: false };
  const timer = setTimeout(() => {
    state.expired = true;
    onExpire();
    controller.abort(new Error(`The model sent no token within ${timeoutMs} ms.`));
  }, timeoutMs);
  const clear = () => clearTimeout(timer);
  requestSignal.addEventListener("abort", clear, { once: true });
  return {
    signal: AbortSignal.any([requestSignal, controller.signal]),
    clear,
    get expired() {
      return state.expired;
    },
  };
}
