import type { PublishedCount } from '../anonymise';
import { METRICS, type BlockName } from '../metrics/registry';
import { REPEAT_WINDOWS, type RepeatWindow } from '../metrics/repeat-cases';
import { ACTIVITY_BREAKDOWNS, activityCodeLabel, activityRows, type ActivityBreakdown, type ActivityRow } from './activity-rows';
import { barChart, type BarGroup } from './charts';
import { formatChangeDe, formatDateDe, formatFigureDe, formatInstantDe, formatNumberDe } from './format';
import { incompleteWindows, reportHeadings, type ReportHeadings } from './headings';
import type { ReportLabels } from './labels';
import { LABELS_DE } from './labels.de';
import { html, trusted, type Markup } from './markup';
import type { PeriodicReport } from './periodic-report';
import { codeLabel, metricLabel, reportRows, rowLabel, type Figure, type ReportRow, type Scope } from './rows';
import { finalisationMarkup, reportTextMarkup, type ReportText } from './report-text';
import { REPORT_CSS } from './style';

/** Breakdowns drawn as bar charts of the period (the tables beside them hold both years). */
export const BREAKDOWN_CHARTS: readonly { readonly block: BlockName; readonly metric: string }[] = [
  { block: 'referrals', metric: 'bySource' },
  { block: 'referrals', metric: 'byHousingSituation' },
  { block: 'referrals', metric: 'byThreatCause' },
  { block: 'visits', metric: 'byConcern' },
  { block: 'mediations', metric: 'byKind' },
  { block: 'mediations', metric: 'byInstitutionKind' },
  { block: 'closures', metric: 'byReason' },
];
/** Goal 3 of the concept, shown on its own: housing at closing, all households beside those with children. */
export const GOAL_THREE = { block: 'closures', metric: 'byHousingAtClose' } as const;
/** Totals compared with the comparison period in the overview chart; visits are left out, their scale dwarfs the rest. */
export const OVERVIEW: readonly { readonly block: BlockName; readonly metric: string }[] = [
  { block: 'referrals', metric: 'total' },
  { block: 'decisions', metric: 'approved' },
  { block: 'decisions', metric: 'rejected' },
  { block: 'cases', metric: 'served' },
  { block: 'mediations', metric: 'total' },
  { block: 'housingSecured', metric: 'total' },
  { block: 'closures', metric: 'total' },
];

interface Page {
  readonly report: PeriodicReport;
  readonly headings: ReportHeadings;
  readonly labels: ReportLabels;
  readonly rows: readonly ReportRow[];
}

/** Charts draw counts only, and a count is never null; the guard only satisfies the type. */
const asCount = (value: Figure): PublishedCount => (value === null ? 0 : value);

const cell = (kind: ReportRow['kind'], value: Figure, { texts }: ReportLabels): Markup => {
  if (value === '<5') return html`<span class="hidden-cell" title="${texts.lessThanFiveTitle}">${texts.lessThanFive}</span>`;
  if (value === 'suppressed') return html`<span class="hidden-cell" title="${texts.suppressedTitle}">${texts.suppressed}</span>`;
  if (value === null) return html`<span class="withheld" title="${texts.notPublishedTitle}">${texts.notPublished}</span>`;
  return html`${formatFigureDe(kind, value)}`;
};

const change = (row: ReportRow, { texts }: ReportLabels): Markup => {
  const text = formatChangeDe(row.kind, row.current, row.previous, texts.percentagePoints);
  return text === null ? html`<span class="withheld" title="${texts.changeUnavailable}">${texts.notPublished}</span>` : html`${text}`;
};

const yearHeads = ({ headings }: Page): Markup =>
  html`<th scope="col" class="num">${headings.current}</th><th scope="col" class="num">${headings.comparison}</th>`;

const figureRow = (row: ReportRow, label: string, page: Page, sub: boolean): Markup =>
  html`<tr class="${sub ? 'sub' : 'figure'}"><th scope="row">${label}</th><td class="num">${cell(row.kind, row.current, page.labels)}</td><td class="num">${cell(row.kind, row.previous, page.labels)}</td><td class="num">${change(row, page.labels)}</td></tr>`;

/** Consecutive rows of one metric: a single figure, or the cells of one breakdown. */
const segments = (rows: readonly ReportRow[]): ReportRow[][] =>
  rows.reduce<ReportRow[][]>((out, row) => {
    const last = out[out.length - 1];
    if (last && row.code !== null && last[0].code !== null && last[0].metric === row.metric) last.push(row);
    else out.push([row]);
    return out;
  }, []);

/** Single figures as rows; each breakdown as its own row group under a heading, one row per code. */
const figureTable = (rows: readonly ReportRow[], page: Page): Markup => {
  const { labels } = page;
  const body = segments(rows).map((segment) => {
    const [first] = segment;
    if (first.code === null) return html`<tbody>${figureRow(first, metricLabel(labels, first.block, first.metric), page, false)}</tbody>`;
    const heading = html`<tr class="group"><th scope="rowgroup" colspan="4">${metricLabel(labels, first.block, first.metric)}</th></tr>`;
    const cells = segment.map((row) => figureRow(row, codeLabel(labels, row.block, row.metric, row.code ?? ''), page, true));
    return html`<tbody>${heading}${cells}</tbody>`;
  });
  return html`<table><thead><tr><th scope="col">${labels.texts.figure}</th>${yearHeads(page)}<th scope="col" class="num">${labels.texts.change}</th></tr></thead>${body}</table>`;
};

const windowNote = (window: RepeatWindow, { report, headings, labels }: Page): Markup => {
  const notes = incompleteWindows(report, headings, window).map(({ period, completeOn }) =>
    labels.texts.windowIncomplete(period, formatDateDe(completeOn)),
  );
  return notes.length === 0 ? html`${labels.texts.windowComplete}` : html`<span class="incomplete">${notes.join('; ')}</span>`;
};

/** Repeat cases: one row per window, eligible / repeated / share in both years, and whether the window is complete. */
const repeatTable = (rows: readonly ReportRow[], page: Page): Markup => {
  const { labels } = page;
  const figures = (['eligible', 'repeated', 'share'] as const).map(
    (f) => html`<th scope="col" class="num">${labels.repeatFigures[f]}</th>`,
  );
  const body = (Object.keys(REPEAT_WINDOWS) as RepeatWindow[]).map((window) => {
    const own = rows.filter((r) => r.code === window);
    const values = (year: 'current' | 'previous') => own.map((r) => html`<td class="num">${cell(r.kind, r[year], labels)}</td>`);
    const share = own.find((r) => r.metric === 'share');
    return html`<tr><th scope="row">${metricLabel(labels, 'repeatCases', window)}</th>${values('current')}${values('previous')}<td class="num">${share ? change(share, labels) : null}</td><td>${windowNote(window, page)}</td></tr>`;
  });
  return html`<table><caption>${labels.texts.repeatIntro}</caption><thead><tr><th scope="col" rowspan="2">${labels.texts.window}</th><th scope="colgroup" colspan="3" class="num">${page.headings.current}</th><th scope="colgroup" colspan="3" class="num">${page.headings.comparison}</th><th scope="col" rowspan="2" class="num">${labels.texts.change}</th><th scope="col" rowspan="2">${labels.texts.note}</th></tr><tr>${figures}${figures}</tr></thead><tbody>${body}</tbody></table>`;
};

const figure = (chart: Markup, { texts }: ReportLabels, title: string): Markup =>
  html`<figure>${chart}<figcaption>${title}. ${texts.chartAlternative}</figcaption></figure>`;

const breakdownChart = (rows: readonly ReportRow[], block: BlockName, metric: string, page: Page): Markup => {
  const { labels, headings } = page;
  const cells = rows.filter((r) => r.metric === metric && r.code !== null);
  const title = labels.texts.breakdownChart(metricLabel(labels, block, metric), headings.current);
  const groups: BarGroup[] = cells.map((r) => ({ label: codeLabel(labels, block, metric, r.code ?? ''), values: [asCount(r.current)] }));
  const hidden = { lessThanFive: labels.texts.lessThanFive, suppressed: labels.texts.suppressed };
  return figure(barChart(groups, { id: `chart-${block}-${metric}`, title, series: [headings.current], hidden }), labels, title);
};

const overviewChart = (page: Page): Markup => {
  const { labels, headings, rows } = page;
  const title = headings.overviewChart;
  const groups: BarGroup[] = OVERVIEW.flatMap(({ block, metric }) => {
    const row = rows.find((r) => r.scope === 'all' && r.block === block && r.metric === metric && r.code === null);
    return row ? [{ label: rowLabel(labels, row), values: [asCount(row.current), asCount(row.previous)] }] : [];
  });
  const series = [headings.current, headings.comparison];
  const hidden = { lessThanFive: labels.texts.lessThanFive, suppressed: labels.texts.suppressed };
  return figure(barChart(groups, { id: 'chart-overview', title, series, hidden }), labels, title);
};

const goalThreeSection = (page: Page): Markup => {
  const { labels, headings, rows } = page;
  const { texts } = labels;
  const of = (scope: Scope) => rows.filter((r) => r.scope === scope && r.block === GOAL_THREE.block && r.metric === GOAL_THREE.metric);
  const totalOf = (scope: Scope) => rows.find((r) => r.scope === scope && r.block === GOAL_THREE.block && r.metric === 'total');
  const [all, children] = [of('all'), of('withChildren')];
  const values = (row: ReportRow | undefined) =>
    row
      ? html`<td class="num">${cell(row.kind, row.current, labels)}</td><td class="num">${cell(row.kind, row.previous, labels)}</td>`
      : html`<td></td><td></td>`;
  const line = (label: string, a: ReportRow | undefined, c: ReportRow | undefined, sub: boolean) =>
    html`<tr class="${sub ? 'sub' : 'figure'}"><th scope="row">${label}</th>${values(a)}${values(c)}</tr>`;
  const body = [
    line(metricLabel(labels, 'closures', 'total'), totalOf('all'), totalOf('withChildren'), false),
    ...all.map((row) =>
      line(
        codeLabel(labels, row.block, row.metric, row.code ?? ''),
        row,
        children.find((c) => c.code === row.code),
        true,
      ),
    ),
  ];
  const years = html`<th scope="col" class="num">${headings.current}</th><th scope="col" class="num">${headings.comparison}</th>`;
  const table = html`<table><caption>${metricLabel(labels, GOAL_THREE.block, GOAL_THREE.metric)}</caption><thead><tr><th scope="col" rowspan="2">${texts.figure}</th><th scope="colgroup" colspan="2" class="num">${texts.allCases}</th><th scope="colgroup" colspan="2" class="num">${texts.withChildren}</th></tr><tr>${years}${years}</tr></thead><tbody>${body}</tbody></table>`;
  const title = texts.goalThreeChart(headings.current);
  const groups: BarGroup[] = all.map((row) => ({
    label: codeLabel(labels, row.block, row.metric, row.code ?? ''),
    values: [asCount(row.current), asCount(children.find((c) => c.code === row.code)?.current ?? 0)],
  }));
  const hidden = { lessThanFive: texts.lessThanFive, suppressed: texts.suppressed };
  const chart = figure(
    barChart(groups, { id: 'chart-goal-3', title, series: [texts.allCases, texts.withChildren], hidden }),
    labels,
    title,
  );
  return html`<section class="scope" id="goal-3"><h2>${texts.goalThreeHeading}</h2><p>${texts.goalThreeIntro}</p>${chart}${table}</section>`;
};

const blockSection = (scope: Scope, block: BlockName, page: Page): Markup => {
  const rows = page.rows.filter((r) => r.scope === scope && r.block === block);
  const charts =
    scope === 'all' ? BREAKDOWN_CHARTS.filter((c) => c.block === block).map((c) => breakdownChart(rows, block, c.metric, page)) : [];
  const table = block === 'repeatCases' ? repeatTable(rows, page) : figureTable(rows, page);
  return html`<section class="block" id="${scope}-${block}"><h3>${page.labels.blocks[block]}</h3>${charts}${table}</section>`;
};

const scopeSection = (scope: Scope, page: Page): Markup => {
  const { texts } = page.labels;
  const blocks = METRICS.map(({ block }) => blockSection(scope, block, page));
  return scope === 'all'
    ? html`<section class="scope" id="all"><h2>${texts.allCases}</h2>${overviewChart(page)}${blocks}</section>`
    : html`<section class="scope page-break" id="withChildren"><h2>${texts.withChildren}</h2><p>${texts.withChildrenIntro}</p>${blocks}</section>`;
};

const activityFigure = (row: ActivityRow, value: number): Markup => html`${formatNumberDe(value, row.unit === 'hours' ? 2 : 0)}`;

/**
 * The activities beyond single cases: the totals in both periods, then each breakdown with count and
 * hours per code in both periods. Every figure is published as it is (decision 0024).
 */
const activitySection = ({ report, labels, headings }: Page): Markup => {
  const texts = labels.activities;
  const rows = activityRows(report);
  const years = html`<th scope="col" class="num">${headings.current}</th><th scope="col" class="num">${headings.comparison}</th>`;
  const totals = rows
    .filter((row) => row.code === null)
    .map(
      (row) =>
        html`<tr class="figure"><th scope="row">${texts[row.metric as 'total' | 'hours' | 'participants']}</th><td class="num">${activityFigure(row, row.current)}</td><td class="num">${activityFigure(row, row.previous)}</td></tr>`,
    );
  const breakdowns = (Object.keys(ACTIVITY_BREAKDOWNS) as ActivityBreakdown[]).map((breakdown) => {
    const count = rows.filter((row) => row.metric === `${breakdown}.count`);
    const body = count.map((row) => {
      const hours = rows.find((r) => r.metric === `${breakdown}.hours` && r.code === row.code) ?? {
        ...row,
        unit: 'hours',
        current: 0,
        previous: 0,
      };
      return html`<tr><th scope="row">${activityCodeLabel(labels, breakdown, row.code ?? '')}</th><td class="num">${activityFigure(row, row.current)}</td><td class="num">${activityFigure(hours, hours.current)}</td><td class="num">${activityFigure(row, row.previous)}</td><td class="num">${activityFigure(hours, hours.previous)}</td></tr>`;
    });
    const units = html`<th scope="col" class="num">${texts.count}</th><th scope="col" class="num">${texts.cellHours}</th>`;
    return html`<table><caption>${texts[breakdown]}</caption><thead><tr><th scope="col" rowspan="2">${labels.texts.figure}</th><th scope="colgroup" colspan="2" class="num">${headings.current}</th><th scope="colgroup" colspan="2" class="num">${headings.comparison}</th></tr><tr>${units}${units}</tr></thead><tbody>${body}</tbody></table>`;
  });
  return html`<section class="scope page-break" id="activities"><h2>${texts.heading}</h2><p>${texts.intro}</p><table><thead><tr><th scope="col">${labels.texts.figure}</th>${years}</tr></thead><tbody>${totals}</tbody></table>${breakdowns}</section>`;
};

/**
 * A report (annual or any period) as one self-contained, printable HTML page: no script, no
 * external resource. With `text`, the provider's sections come before the figures and the header
 * says whether the report is final.
 */
export const renderAnnualReportHtml = (report: PeriodicReport, text?: ReportText): string => {
  const labels = LABELS_DE;
  const { texts } = labels;
  const headings = reportHeadings(report, labels);
  const page: Page = { report, headings, labels, rows: reportRows(report) };
  const { title, dueOn } = headings;
  const { from, to } = report.current.period;
  const anonymisation = texts.anonymisation.map((line) => html`<li>${line}</li>`);
  return `<!doctype html>\n${html`<html lang="${labels.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${trusted(REPORT_CSS)}</style></head><body><header><h1>${title}</h1><p class="meta">${texts.programme}</p><p class="meta">${texts.period(formatDateDe(from), formatDateDe(to))}</p><p class="meta">${texts.asOf(formatInstantDe(report.asOf))}</p><p class="meta">${texts.generatedAt(formatInstantDe(report.generatedAt))}</p>${dueOn ? html`<p class="meta">${texts.dueBy(formatDateDe(dueOn))}</p>` : null}${text ? finalisationMarkup(text) : null}</header><aside class="note"><h2>${texts.anonymisationHeading}</h2><ul>${anonymisation}</ul></aside><main>${text ? reportTextMarkup(text) : null}${scopeSection('all', page)}${goalThreeSection(page)}${scopeSection('withChildren', page)}${activitySection(page)}</main></body></html>`}\n`;
};
