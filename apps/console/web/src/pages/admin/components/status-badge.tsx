export type Tone = 'ok' | 'off' | 'warn' | 'info';

/** A coloured status word; the colour repeats what the word says. */
export function StatusBadge(props: { tone: Tone; label: string; testId?: string }) {
  return (
    <span class={`badge badge-${props.tone}`} data-testid={props.testId}>
      {props.label}
    </span>
  );
}
