import { createSignal } from 'solid-js';
import { errorMessage } from './trpc.ts';

/**
 * A mutation's busy flag and readable error, for buttons and forms: `run` clears the last
 * error, marks busy, and keeps the message if the call fails.
 */
export function createAction() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  async function run<T>(call: () => Promise<T>): Promise<T | undefined> {
    setError('');
    setBusy(true);
    try {
      return await call();
    } catch (e) {
      setError(errorMessage(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
