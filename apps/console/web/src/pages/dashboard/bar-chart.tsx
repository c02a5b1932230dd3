import { createMemo, createSignal, For, Index, onCleanup, onMount, Show } from 'solid-js';
import { languageTag } from '../../lib/format.ts';
import { niceMax, type Metric, type Series } from './usage-data.ts';

const HEIGHT = 220;
const PAD = { top: 10, right: 8, bottom: 26, left: 52 };

/**
 * Bars per day stacked by model, drawn in the container's pixel width so labels stay legible on
 * a phone. Each segment has a tooltip; the data table beside it is the accessible equivalent.
 */
export function BarChart(props: {
  title: string;
  days: string[];
  series: Series[];
  metric: Metric;
  seriesName: (series: Series) => string;
  format: (value: number) => string;
  testId: string;
}) {
  let box!: HTMLDivElement;
  const [width, setWidth] = createSignal(640);
  onMount(() => {
    let frame = 0;
    const observer = new ResizeObserver(([entry]) => {
      cancelAnimationFrame(frame);
      // Next frame, so a resize never feeds back into the observation that reported it.
      frame = requestAnimationFrame(() => setWidth(Math.max(240, entry?.contentRect.width ?? 0)));
    });
    observer.observe(box);
    onCleanup(() => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    });
  });

  const totalOf = (day: string) =>
    props.series.reduce((sum, s) => sum + (s.byDay.get(day)?.[props.metric] ?? 0), 0);
  const max = createMemo(() => niceMax(Math.max(0, ...props.days.map(totalOf))));
  const plotWidth = () => width() - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const band = () => plotWidth() / Math.max(1, props.days.length);
  const y = (value: number) => PAD.top + plotHeight - (value / max()) * plotHeight;
  const labelEvery = () => Math.max(1, Math.ceil(props.days.length / Math.floor(plotWidth() / 44)));
  const compact = () => new Intl.NumberFormat(languageTag(), { notation: 'compact' });

  /** Each day's segments, bottom up. */
  const stacks = createMemo(() =>
    props.days.map((day) => {
      let base = 0;
      return props.series.flatMap((s) => {
        const value = s.byDay.get(day)?.[props.metric] ?? 0;
        if (value === 0) return [];
        const segment = { day, series: s, value, from: base, to: base + value };
        base += value;
        return [segment];
      });
    }),
  );

  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div ref={box} class="chart-box">
        <svg
          width={width()}
          height={HEIGHT}
          role="img"
          aria-label={props.title}
          viewBox={`0 0 ${width()} ${HEIGHT}`}
        >
          <For each={[0, 0.25, 0.5, 0.75, 1]}>
            {(fraction) => (
              <g class="grid">
                <line
                  x1={PAD.left}
                  x2={width() - PAD.right}
                  y1={y(max() * fraction)}
                  y2={y(max() * fraction)}
                />
                <text x={PAD.left - 6} y={y(max() * fraction) + 4} text-anchor="end">
                  {compact().format(max() * fraction)}
                </text>
              </g>
            )}
          </For>
          <Index each={stacks()}>
            {(segments, i) => (
              <g>
                <For each={segments()}>
                  {(segment) => (
                    <rect
                      class="bar"
                      x={PAD.left + i * band() + band() * 0.15}
                      width={Math.max(1, band() * 0.7)}
                      y={y(segment.to)}
                      height={Math.max(1, y(segment.from) - y(segment.to))}
                      fill={segment.series.color}
                    >
                      <title>
                        {`${segment.day} · ${props.seriesName(segment.series)}: ${props.format(segment.value)}`}
                      </title>
                    </rect>
                  )}
                </For>
              </g>
            )}
          </Index>
          <Index each={props.days}>
            {(day, i) => (
              <Show when={i % labelEvery() === 0}>
                <text
                  class="axis"
                  x={PAD.left + i * band() + band() / 2}
                  y={HEIGHT - 8}
                  text-anchor="middle"
                >
                  {day().slice(5)}
                </text>
              </Show>
            )}
          </Index>
        </svg>
      </div>
      <ul class="legend">
        <For each={props.series}>
          {(s) => (
            <li>
              <span class="swatch" style={{ background: s.color }} aria-hidden="true" />
              {props.seriesName(s)}
            </li>
          )}
        </For>
      </ul>
    </figure>
  );
}
