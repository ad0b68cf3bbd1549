import type { PublishedCount } from '../anonymise';
import { formatNumberDe } from './format';
import { html, type Markup } from './markup';

/** One bar per series (the year, and optionally the previous year) under one label. */
export interface BarGroup {
  readonly label: string;
  readonly values: readonly PublishedCount[];
}

export interface ChartOptions {
  /** Unique in the page: ids of the title, description and hatch pattern derive from it. */
  readonly id: string;
  readonly title: string;
  /** Series names, in the order of each group's values; a legend is drawn for two or more. */
  readonly series: readonly string[];
  /** How a hidden value reads: "<5", "unterdrückt". */
  readonly hidden: { readonly lessThanFive: string; readonly suppressed: string };
}

const WIDTH = 640;
const LABEL_RIGHT = 272;
const BAR_LEFT = 280;
const BAR_SPACE = 290;
const BAR_HEIGHT = 14;
const BAR_GAP = 2;
const GROUP_GAP = 10;
const LEGEND_HEIGHT = 24;
/** A hidden value has no length to draw: a short hatched stub marks it instead of a bar. */
const HIDDEN_WIDTH = 18;
const COLOURS = ['#1d5b87', '#8fb8d6', '#5a8f3c'];
const MAX_LABEL = 40;

const shorten = (label: string): string => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);

const valueText = (value: PublishedCount, hidden: ChartOptions['hidden']): string =>
  value === '<5' ? hidden.lessThanFive : value === 'suppressed' ? hidden.suppressed : formatNumberDe(value);

/** The chart's text alternative: every label with its values, in words a screen reader reads out. */
const description = (groups: readonly BarGroup[], { series, hidden }: ChartOptions): string =>
  groups
    .map(
      (g) =>
        `${g.label}: ${g.values.map((v, i) => (series.length > 1 ? `${series[i]} ${valueText(v, hidden)}` : valueText(v, hidden))).join(', ')}`,
    )
    .join('; ');

const legend = (series: readonly string[]): Markup[] =>
  series.length < 2
    ? []
    : series.map((name, i) => {
        const x = BAR_LEFT + i * 110;
        return html`<g class="legend"><rect x="${x}" y="4" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/><text x="${x + 16}" y="14">${name}</text></g>`;
      });

const bar = (value: PublishedCount, y: number, colour: string, scale: number, options: ChartOptions): Markup => {
  const hidden = typeof value === 'string';
  const width = hidden ? HIDDEN_WIDTH : Math.round(value * scale * 10) / 10;
  const text = valueText(value, options.hidden);
  const fill = hidden ? `url(#${options.id}-hatch)` : colour;
  return html`<g class="${hidden ? 'bar hidden' : 'bar'}"><rect x="${BAR_LEFT}" y="${y}" width="${width}" height="${BAR_HEIGHT}" fill="${fill}" stroke="${colour}"/><text x="${BAR_LEFT + width + 4}" y="${y + BAR_HEIGHT - 3}">${text}</text></g>`;
};

/**
 * A horizontal bar chart as inline SVG: one group per label, one bar per series. Drawn on the
 * server so that the page needs no script and prints as it is shown. Inline SVG in HTML needs
 * no namespace attribute, which keeps the page free of any URL.
 */
export const barChart = (groups: readonly BarGroup[], options: ChartOptions): Markup => {
  const seriesCount = Math.max(1, options.series.length);
  const groupHeight = seriesCount * BAR_HEIGHT + (seriesCount - 1) * BAR_GAP;
  const top = seriesCount > 1 ? LEGEND_HEIGHT : 4;
  const height = top + groups.length * (groupHeight + GROUP_GAP);
  const largest = Math.max(5, ...groups.flatMap((g) => g.values.filter((v): v is number => typeof v === 'number')));
  const scale = BAR_SPACE / largest;
  const rows = groups.map((group, g) => {
    const y = top + g * (groupHeight + GROUP_GAP);
    const bars = group.values.map((value, s) => bar(value, y + s * (BAR_HEIGHT + BAR_GAP), COLOURS[s % COLOURS.length], scale, options));
    return html`<g class="group"><text class="label" x="${LABEL_RIGHT}" y="${y + groupHeight / 2 + 4}" text-anchor="end"><title>${group.label}</title>${shorten(group.label)}</text>${bars}</g>`;
  });
  const { id, title } = options;
  return html`<svg class="chart" role="img" aria-label="${title}" aria-describedby="${id}-desc" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" font-size="12"><title id="${id}-title">${title}</title><desc id="${id}-desc">${description(groups, options)}</desc><defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#555555" stroke-width="3"/></pattern></defs>${legend(options.series)}${rows}</svg>`;
};
