import { Bar, BarChart, CartesianGrid, LabelList, Legend, XAxis, YAxis } from 'recharts';
import { t } from '../i18n';
import type { Count } from './report-types';
import { CountValue } from './stats-view';

/** One category of a chart: its published value in the report year and in the year before. */
export interface ComparisonRow {
  key: string;
  label: string;
  /** null: not in the answer as a count (shown as not published, never drawn). */
  current: Count | null;
  previous: Count | null;
}

// Contrast ≥ 3:1 against white and against each other's neighbour bars (WCAG 1.4.11).
const CURRENT_FILL = '#0b4f8a';
const PREVIOUS_FILL = '#6b6b6b';

const withheldText = (value: Count | null): string | null =>
  value === null
    ? t.statistics.notPublished
    : value === '<5'
      ? t.statistics.lessThanFive
      : value === 'suppressed'
        ? t.statistics.suppressed
        : null;

/** What the bar says at its end: the number, or why there is no bar. */
const labelOf = (value: Count | null): string => withheldText(value) ?? String(value);

/**
 * Only published numbers become bars: a "<5" or "unterdrückt" cell is no bar at all (not 0,
 * not a guess), its marker stands where the bar would start, so the chart shows nothing the
 * table does not publish.
 */
export const chartData = (rows: readonly ComparisonRow[]) =>
  rows.map((r) => ({
    label: r.label,
    current: typeof r.current === 'number' ? r.current : null,
    previous: typeof r.previous === 'number' ? r.previous : null,
    currentLabel: labelOf(r.current),
    previousLabel: labelOf(r.previous),
  }));

/** The withheld cells named in words below the chart (and in its SVG description). */
export const withheldCells = (rows: readonly ComparisonRow[], year: number): string[] =>
  rows.flatMap((r) =>
    (
      [
        [year, r.current],
        [year - 1, r.previous],
      ] as const
    ).flatMap(([y, v]) => {
      const text = withheldText(v);
      return text ? [`${r.label} ${y}: ${text}`] : [];
    }),
  );

/** Words to lines of about `width` characters: SVG text does not wrap by itself. */
export const wrap = (text: string, width = 18): string[] =>
  text.split(' ').reduce<string[]>((lines, word) => {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);

/** A category's name, and below it in the chart itself which of its values are withheld. */
function CategoryTick({ x, y, payload, notes }: { x?: number; y?: number; payload?: { value?: unknown }; notes: Map<string, string> }) {
  const label = String(payload?.value ?? '');
  const lines = wrap(label);
  const note = notes.get(label);
  const all = note ? [...lines, note] : lines;
  return (
    <text x={x} y={y} textAnchor="end" fontSize={13} fill="#1b1b1b">
      {all.map((line, i) => (
        <tspan
          key={i}
          x={(x ?? 0) - 4}
          dy={i === 0 ? `${0.35 - (all.length - 1) * 0.6}em` : '1.2em'}
          fontStyle={note && i === all.length - 1 ? 'italic' : undefined}
        >
          {line}
        </tspan>
      ))}
    </text>
  );
}

/** Categories with nothing in either year are left to the table: the chart shows what happened. */
const charted = (rows: readonly ComparisonRow[]) => rows.filter((r) => r.current !== 0 || r.previous !== 0);

/**
 * A horizontal bar chart of the report year beside the year before, with its table: the SVG is
 * labelled (title, description, recharts' keyboard accessibility layer), the table in <details>
 * is the same figures for screen readers, keyboard users and anyone who wants the numbers.
 */
export function ComparisonChart({ id, title, year, rows }: { id: string; title: string; year: number; rows: readonly ComparisonRow[] }) {
  const d = t.dashboard;
  const withheld = withheldCells(rows, year);
  const description = d.chartDesc(title, year, year - 1) + (withheld.length ? ` ${d.withheldNote(withheld.join('; '))}` : '');
  const shown = charted(rows);
  const notes = new Map(
    shown.flatMap((r) => {
      const parts = (
        [
          [year, r.current],
          [year - 1, r.previous],
        ] as const
      ).flatMap(([y, v]) => {
        const text = withheldText(v);
        return text ? [`${y}: ${text}`] : [];
      });
      return parts.length ? [[r.label, parts.join(', ')] as const] : [];
    }),
  );
  return (
    <figure className="report-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <div className="report-chart-canvas">
        {shown.length === 0 ? (
          <p className="report-chart-note">{d.nothingToChart}</p>
        ) : (
          <BarChart
            layout="vertical"
            data={chartData(shown)}
            responsive
            style={{ width: '100%', height: 80 + shown.length * 72 }}
            margin={{ top: 4, right: 88, bottom: 4, left: 4 }}
            accessibilityLayer
            title={title}
            desc={description}
          >
            <CartesianGrid horizontal={false} stroke="#c4c7ca" />
            <XAxis type="number" allowDecimals={false} stroke="#4a4a4a" />
            <YAxis type="category" dataKey="label" width={150} stroke="#4a4a4a" interval={0} tick={<CategoryTick notes={notes} />} />
            <Legend />
            <Bar dataKey="current" name={String(year)} fill={CURRENT_FILL} isAnimationActive={false}>
              <LabelList dataKey="currentLabel" position="right" fill="#1b1b1b" />
            </Bar>
            <Bar dataKey="previous" name={String(year - 1)} fill={PREVIOUS_FILL} isAnimationActive={false}>
              <LabelList dataKey="previousLabel" position="right" fill="#1b1b1b" />
            </Bar>
          </BarChart>
        )}
      </div>
      {withheld.length > 0 && <p className="report-chart-note">{d.withheldNote(withheld.join('; '))}</p>}
      <details className="report-chart-table">
        <summary>{d.tableSummary(title)}</summary>
        <table>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{d.category}</th>
              <th scope="col">{year}</th>
              <th scope="col">{year - 1}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td className="num">
                  <CountValue value={r.current} />
                </td>
                <td className="num">
                  <CountValue value={r.previous} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
