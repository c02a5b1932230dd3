import { Match, Switch, type JSX, type Resource } from 'solid-js';
import { common } from '../lib/i18n.ts';
import { errorMessage } from '../lib/trpc.ts';

/**
 * A remote read's three states: loading, a readable error with a retry, or its data. The data
 * stays on screen while a refetch runs, so tables do not flicker.
 */
export function AsyncView<T>(props: {
  resource: Resource<T>;
  retry: () => void;
  children: (data: T) => JSX.Element;
}) {
  return (
    <Switch>
      <Match when={props.resource.error as unknown}>
        <div class="error-box" role="alert">
          <p class="error">{errorMessage(props.resource.error)}</p>
          <button type="button" onClick={() => props.retry()}>
            {common().retry}
          </button>
        </div>
      </Match>
      <Match when={props.resource.latest === undefined}>
        <p class="loading" aria-live="polite">
          {common().loading}
        </p>
      </Match>
      <Match when={props.resource.latest !== undefined}>
        {props.children(props.resource.latest as T)}
      </Match>
    </Switch>
  );
}
