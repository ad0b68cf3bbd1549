import { REPORT_SECTIONS } from '@wih/domain';
import pdfmake from 'pdfmake';
import type { CanvasElement, Content, ContentText, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { PublishedCount } from '../anonymise';
import { METRICS, type BlockName } from '../metrics/registry';
import { REPEAT_WINDOWS, type RepeatWindow } from '../metrics/repeat-cases';
import { formatChangeDe, formatDateDe, formatFigureDe, formatInstantDe, formatNumberDe } from './format';
import { incompleteWindows, reportHeadings, type ReportHeadings } from './headings';
import { EMPTY_SECTION_DE, finalisationLineDe, REPORT_SECTION_HEADINGS_DE, textParagraphs, type ReportText } from './report-text';
import { ACTIVITY_BREAKDOWNS, activityCodeLabel, activityRows, type ActivityBreakdown, type ActivityRow } from './activity-rows';
import { BREAKDOWN_CHARTS, GOAL_THREE, OVERVIEW } from './html';
import type { ReportLabels } from './labels';
import { LABELS_DE } from './labels.de';
import type { PeriodicReport } from './periodic-report';
import { codeLabel, metricLabel, reportRows, rowLabel, type Figure, type ReportRow, type Scope } from './rows';

/**
 * The report as an A4 PDF for the city's files (DOMAIN.md), built from the same rows as the HTML
 * and the CSV (never from the HTML): pdfmake lays out tables and text on pdfkit, on the server,
 * without a browser (decision 0027). The bytes depend on the report only: the creation date is
 * the report's generatedAt, pdfkit derives the file id from the metadata, and nothing is random.
 */

/** The Roboto faces shipped with pdfmake, found where npm put it: no copy, no fixed path. */
const FONT_FILES = {
  normal: require.resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf'),
  bold: require.resolve('pdfmake/fonts/Roboto/Roboto-Medium.ttf'),
  italics: require.resolve('pdfmake/fonts/Roboto/Roboto-Italic.ttf'),
  bolditalics: require.resolve('pdfmake/fonts/Roboto/Roboto-MediumItalic.ttf'),
};
const ALLOWED_FILES = new Set<string>(Object.values(FONT_FILES));

const COLOURS = ['#1d5b87', '#8fb8d6'];
const GREY = '#555555';
/** A4 portrait less 15 mm margins each side, in points. */
const CONTENT_WIDTH = 595.28 - 2 * 42.5;
const CHART_LABEL_WIDTH = 190;
const CHART_VALUE_WIDTH = 64;
const CHART_BAR_SPACE = CONTENT_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH - 12;
const BAR_HEIGHT = 9;
const HIDDEN_WIDTH = 14;

interface Page {
  readonly report: PeriodicReport;
  readonly headings: ReportHeadings;
  readonly labels: ReportLabels;
  readonly rows: readonly ReportRow[];
}

/** A hidden or withheld value reads as in the HTML: "<5", "unterdrückt", "–". */
const cellText = (kind: ReportRow['kind'], value: Figure, { texts }: ReportLabels): string => {
  if (value === '<5') return texts.lessThanFive;
  if (value === 'suppressed') return texts.suppressed;
  if (value === null) return texts.notPublished;
  return formatFigureDe(kind, value);
};

const changeText = (row: ReportRow, { texts }: ReportLabels): string =>
  formatChangeDe(row.kind, row.current, row.previous, texts.percentagePoints) ?? texts.notPublished;

const num = (text: string, extra: { readonly color?: string } = {}): ContentText => ({ text, alignment: 'right', ...extra });

/** Hidden and withheld values in grey, as the HTML sets them apart. */
const hiddenStyle = (value: Figure): { readonly color?: string } => (typeof value === 'string' || value === null ? { color: GREY } : {});

const head = (text: string, alignment: 'left' | 'right' = 'right'): ContentText => ({ text, style: 'tableHead', alignment });

/** Single figures as rows; a breakdown as a heading row and one indented row per code. */
const figureTable = (rows: readonly ReportRow[], page: Page): Content => {
  const { labels, headings } = page;
  const line = (row: ReportRow, label: string, indent: boolean): TableCell[] => [
    { text: label, margin: [indent ? 10 : 0, 0, 0, 0] },
    num(cellText(row.kind, row.current, labels), hiddenStyle(row.current)),
    num(cellText(row.kind, row.previous, labels), hiddenStyle(row.previous)),
    num(changeText(row, labels)),
  ];
  const body: TableCell[][] = [];
  rows.forEach((row, i) => {
    if (row.code === null) {
      body.push(line(row, metricLabel(labels, row.block, row.metric), false));
      return;
    }
    const previous = rows[i - 1];
    if (!previous || previous.code === null || previous.metric !== row.metric) {
      body.push([{ text: metricLabel(labels, row.block, row.metric), colSpan: 4, style: 'group' }, {}, {}, {}]);
    }
    body.push(line(row, codeLabel(labels, row.block, row.metric, row.code), true));
  });
  return {
    table: {
      headerRows: 1,
      widths: ['*', 70, 80, 62],
      body: [[head(labels.texts.figure, 'left'), head(headings.current), head(headings.comparison), head(labels.texts.change)], ...body],
    },
    layout: 'lightHorizontalLines',
    style: 'table',
  };
};

/** Repeat cases: one row per window, eligible / repeated / share in both periods, and whether the window is complete. */
const repeatTable = (rows: readonly ReportRow[], page: Page): Content[] => {
  const { labels, headings, report } = page;
  const figures = (['eligible', 'repeated', 'share'] as const).map((f) => head(labels.repeatFigures[f]));
  const body = (Object.keys(REPEAT_WINDOWS) as RepeatWindow[]).map((window): TableCell[] => {
    const own = rows.filter((r) => r.code === window);
    const values = (side: 'current' | 'previous') => own.map((r) => num(cellText(r.kind, r[side], labels), hiddenStyle(r[side])));
    const share = own.find((r) => r.metric === 'share');
    const notes = incompleteWindows(report, headings, window).map(({ period, completeOn }) =>
      labels.texts.windowIncomplete(period, formatDateDe(completeOn)),
    );
    return [
      metricLabel(labels, 'repeatCases', window),
      ...values('current'),
      ...values('previous'),
      num(share ? changeText(share, labels) : ''),
      { text: notes.length === 0 ? labels.texts.windowComplete : notes.join('; '), fontSize: 7 },
    ];
  });
  return [
    { text: labels.texts.repeatIntro, style: 'caption' },
    {
      table: {
        headerRows: 2,
        widths: [44, 44, 44, 40, 44, 44, 40, 40, '*'],
        body: [
          [
            { ...head(labels.texts.window, 'left'), rowSpan: 2 },
            { ...head(headings.current), colSpan: 3 },
            {},
            {},
            { ...head(headings.comparison), colSpan: 3 },
            {},
            {},
            { ...head(labels.texts.change), rowSpan: 2 },
            { ...head(labels.texts.note, 'left'), rowSpan: 2 },
          ],
          ['', ...figures, ...figures, '', ''],
          ...body,
        ],
      },
      layout: 'lightHorizontalLines',
      style: 'table',
      fontSize: 7.5,
    },
  ];
};

/** A hidden value has no length: a short hatched stub, drawn as vectors like the HTML's pattern. */
const hiddenStub = (colour: string): CanvasElement[] => [
  { type: 'rect', x: 0, y: 0, w: HIDDEN_WIDTH, h: BAR_HEIGHT, lineColor: colour, lineWidth: 0.8 },
  ...[3, 7, 11, 15].map((x): CanvasElement => ({
    type: 'line',
    x1: Math.max(0, x - BAR_HEIGHT),
    y1: Math.min(BAR_HEIGHT, x),
    x2: Math.min(HIDDEN_WIDTH, x),
    y2: Math.max(0, x - HIDDEN_WIDTH),
    lineColor: GREY,
    lineWidth: 0.8,
  })),
];

const bar = (value: PublishedCount, scale: number, colour: string, labels: ReportLabels): Content => {
  const width = typeof value === 'number' ? Math.max(0.5, Math.round(value * scale * 10) / 10) : HIDDEN_WIDTH;
  const canvas: CanvasElement[] =
    typeof value === 'number'
      ? value === 0
        ? [{ type: 'line', x1: 0, y1: 0, x2: 0, y2: BAR_HEIGHT, lineColor: colour, lineWidth: 0.8 }]
        : [{ type: 'rect', x: 0, y: 0, w: width, h: BAR_HEIGHT, color: colour }]
      : hiddenStub(colour);
  const text = typeof value === 'number' ? formatNumberDe(value) : value === '<5' ? labels.texts.lessThanFive : labels.texts.suppressed;
  return {
    columns: [
      { width: width + 4, canvas },
      { width: CHART_VALUE_WIDTH, text, fontSize: 7.5 },
    ],
    columnGap: 0,
    margin: [0, 0, 0, 1.5],
  };
};

interface BarGroup {
  readonly label: string;
  readonly values: readonly PublishedCount[];
}

/** A horizontal bar chart: one group per label, one bar per series (legend for two or more); the same figures as the HTML's. */
const barChart = (title: string, groups: readonly BarGroup[], series: readonly string[], labels: ReportLabels): Content => {
  const largest = Math.max(5, ...groups.flatMap((g) => g.values.filter((v): v is number => typeof v === 'number')));
  const scale = CHART_BAR_SPACE / largest;
  const legend: Content[] =
    series.length < 2
      ? []
      : [
          {
            columns: series.map((name, i) => ({
              width: 'auto',
              columns: [
                { width: 12, canvas: [{ type: 'rect', x: 0, y: 1, w: 8, h: 8, color: COLOURS[i % COLOURS.length] }] },
                { width: 'auto', text: name, fontSize: 7.5, margin: [0, 0, 12, 0] },
              ],
            })),
            margin: [CHART_LABEL_WIDTH + 8, 0, 0, 4],
          },
        ];
  const rows: Content[] = groups.map((group) => ({
    columns: [
      { width: CHART_LABEL_WIDTH, text: group.label, alignment: 'right', fontSize: 7.5 },
      { width: '*', stack: group.values.map((value, s) => bar(value, scale, COLOURS[s % COLOURS.length], labels)) },
    ],
    columnGap: 8,
    margin: [0, 0, 0, 3],
  }));
  return {
    stack: [{ text: title, style: 'chartTitle' }, ...legend, ...rows, { text: labels.texts.chartAlternative, style: 'caption' }],
    unbreakable: true,
    margin: [0, 4, 0, 8],
  };
};

const asCount = (value: Figure): PublishedCount => (value === null ? 0 : value);

const breakdownChart = (rows: readonly ReportRow[], block: BlockName, metric: string, page: Page): Content => {
  const { labels, headings } = page;
  const groups = rows
    .filter((r) => r.metric === metric && r.code !== null)
    .map((r) => ({ label: codeLabel(labels, block, metric, r.code ?? ''), values: [asCount(r.current)] }));
  return barChart(labels.texts.breakdownChart(metricLabel(labels, block, metric), headings.current), groups, [headings.current], labels);
};

const overviewChart = ({ labels, headings, rows }: Page): Content => {
  const groups = OVERVIEW.flatMap(({ block, metric }) => {
    const row = rows.find((r) => r.scope === 'all' && r.block === block && r.metric === metric && r.code === null);
    return row ? [{ label: rowLabel(labels, row), values: [asCount(row.current), asCount(row.previous)] }] : [];
  });
  return barChart(headings.overviewChart, groups, [headings.current, headings.comparison], labels);
};

const blockContent = (scope: Scope, block: BlockName, page: Page): Content[] => {
  const rows = page.rows.filter((r) => r.scope === scope && r.block === block);
  const charts =
    scope === 'all' ? BREAKDOWN_CHARTS.filter((c) => c.block === block).map((c) => breakdownChart(rows, block, c.metric, page)) : [];
  const table = block === 'repeatCases' ? repeatTable(rows, page) : [figureTable(rows, page)];
  return [{ text: page.labels.blocks[block], style: 'h3', headlineLevel: 3 }, ...charts, ...table];
};

const scopeContent = (scope: Scope, page: Page): Content[] => {
  const { texts } = page.labels;
  const blocks = METRICS.flatMap(({ block }) => blockContent(scope, block, page));
  return scope === 'all'
    ? [{ text: texts.allCases, style: 'h2' }, overviewChart(page), ...blocks]
    : [{ text: texts.withChildren, style: 'h2', pageBreak: 'before' }, { text: texts.withChildrenIntro, margin: [0, 0, 0, 6] }, ...blocks];
};

/** Goal 3 of the concept on its own, from the same rows as the HTML: housing at closing, all households beside those with children. */
const goalThreeContent = ({ labels, headings, rows }: Page): Content[] => {
  const { texts } = labels;
  const of = (scope: Scope) => rows.filter((r) => r.scope === scope && r.block === GOAL_THREE.block && r.metric === GOAL_THREE.metric);
  const totalOf = (scope: Scope) => rows.find((r) => r.scope === scope && r.block === GOAL_THREE.block && r.metric === 'total');
  const [all, children] = [of('all'), of('withChildren')];
  const values = (row: ReportRow | undefined): TableCell[] =>
    row
      ? [
          num(cellText(row.kind, row.current, labels), hiddenStyle(row.current)),
          num(cellText(row.kind, row.previous, labels), hiddenStyle(row.previous)),
        ]
      : ['', ''];
  const line = (label: string, a: ReportRow | undefined, c: ReportRow | undefined, indent: boolean): TableCell[] => [
    { text: label, margin: [indent ? 10 : 0, 0, 0, 0] },
    ...values(a),
    ...values(c),
  ];
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
  const groups = all.map((row) => ({
    label: codeLabel(labels, row.block, row.metric, row.code ?? ''),
    values: [asCount(row.current), asCount(children.find((c) => c.code === row.code)?.current ?? 0)],
  }));
  return [
    { text: texts.goalThreeHeading, style: 'h2' },
    { text: texts.goalThreeIntro, margin: [0, 0, 0, 6] },
    barChart(texts.goalThreeChart(headings.current), groups, [texts.allCases, texts.withChildren], labels),
    { text: metricLabel(labels, GOAL_THREE.block, GOAL_THREE.metric), style: 'caption' },
    {
      table: {
        headerRows: 2,
        widths: ['*', 62, 70, 62, 70],
        body: [
          [
            { ...head(texts.figure, 'left'), rowSpan: 2 },
            { ...head(texts.allCases), colSpan: 2 },
            {},
            { ...head(texts.withChildren), colSpan: 2 },
            {},
          ],
          ['', head(headings.current), head(headings.comparison), head(headings.current), head(headings.comparison)],
          ...body,
        ],
      },
      layout: 'lightHorizontalLines',
      style: 'table',
    },
  ];
};

const activityFigure = (row: ActivityRow, value: number): ContentText => num(formatNumberDe(value, row.unit === 'hours' ? 2 : 0));

/**
 * The activities beyond single cases, from the same rows as the HTML: the totals in both periods,
 * then each breakdown with count and hours per code in both periods (published as they are, decision 0024).
 */
const activityContent = ({ report, labels, headings }: Page): Content[] => {
  const texts = labels.activities;
  const rows = activityRows(report);
  const totals = rows
    .filter((row) => row.code === null)
    .map((row): TableCell[] => [
      texts[row.metric as 'total' | 'hours' | 'participants'],
      activityFigure(row, row.current),
      activityFigure(row, row.previous),
    ]);
  // fresh cells for each use: pdfmake writes its layout into the cell objects
  const units = (): TableCell[] => [head(texts.count), head(texts.cellHours)];
  const breakdowns = (Object.keys(ACTIVITY_BREAKDOWNS) as ActivityBreakdown[]).flatMap((breakdown): Content[] => {
    const body = rows
      .filter((row) => row.metric === `${breakdown}.count`)
      .map((row): TableCell[] => {
        const hours = rows.find((r) => r.metric === `${breakdown}.hours` && r.code === row.code) ?? {
          ...row,
          unit: 'hours',
          current: 0,
          previous: 0,
        };
        return [
          activityCodeLabel(labels, breakdown, row.code ?? ''),
          activityFigure(row, row.current),
          activityFigure(hours, hours.current),
          activityFigure(row, row.previous),
          activityFigure(hours, hours.previous),
        ];
      });
    return [
      { text: texts[breakdown], style: 'caption' },
      {
        table: {
          headerRows: 2,
          widths: ['*', 50, 50, 50, 50],
          body: [
            [
              { ...head(labels.texts.figure, 'left'), rowSpan: 2 },
              { ...head(headings.current), colSpan: 2 },
              {},
              { ...head(headings.comparison), colSpan: 2 },
              {},
            ],
            ['', ...units(), ...units()],
            ...body,
          ],
        },
        layout: 'lightHorizontalLines',
        style: 'table',
      },
    ];
  });
  return [
    { text: texts.heading, style: 'h2', pageBreak: 'before' },
    { text: texts.intro, margin: [0, 0, 0, 6] },
    {
      table: {
        headerRows: 1,
        widths: ['*', 80, 80],
        body: [[head(labels.texts.figure, 'left'), head(headings.current), head(headings.comparison)], ...totals],
      },
      layout: 'lightHorizontalLines',
      style: 'table',
    },
    ...breakdowns,
  ];
};

/** The provider's sections before the figures, as in the HTML. */
const textContent = ({ text }: ReportText): Content[] =>
  REPORT_SECTIONS.flatMap((section): Content[] => {
    const paragraphs = textParagraphs(text[section].text);
    return [
      { text: REPORT_SECTION_HEADINGS_DE[section], style: 'h2' },
      ...(paragraphs.length
        ? paragraphs.map((lines): Content => ({ text: lines.join('\n'), margin: [0, 0, 0, 6] }))
        : [{ text: EMPTY_SECTION_DE, color: GREY }]),
    ];
  });

/** The document definition: plain data, so a test can read what will be drawn. */
export const annualReportPdfDefinition = (report: PeriodicReport, text?: ReportText): TDocumentDefinitions => {
  const labels = LABELS_DE;
  const { texts } = labels;
  const headings = reportHeadings(report, labels);
  const page: Page = { report, headings, labels, rows: reportRows(report) };
  const { from, to } = report.current.period;
  const meta = [
    texts.programme,
    texts.period(formatDateDe(from), formatDateDe(to)),
    texts.asOf(formatInstantDe(report.asOf)),
    texts.generatedAt(formatInstantDe(report.generatedAt)),
    ...(headings.dueOn ? [texts.dueBy(formatDateDe(headings.dueOn))] : []),
    ...(text ? [finalisationLineDe(text)] : []),
  ];
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [42.5, 48, 42.5, 48],
    language: labels.lang,
    info: {
      title: headings.title,
      subject: texts.programme,
      creator: texts.programme,
      producer: 'pdfmake',
      creationDate: new Date(report.generatedAt),
      modDate: new Date(report.generatedAt),
    },
    displayTitle: true,
    footer: (current, pages) => ({
      text: texts.pageOf(current, pages),
      alignment: 'center',
      fontSize: 8,
      color: GREY,
      margin: [0, 16, 0, 0],
    }),
    defaultStyle: { font: 'Roboto', fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 20, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 13, bold: true, color: COLOURS[0], margin: [0, 12, 0, 6] },
      h3: { fontSize: 10.5, bold: true, margin: [0, 10, 0, 4] },
      meta: { color: '#444444', margin: [0, 0, 0, 1] },
      tableHead: { bold: true },
      group: { bold: true, fillColor: '#f6f8fa' },
      table: { margin: [0, 2, 0, 8] },
      caption: { fontSize: 7.5, color: '#444444', margin: [0, 2, 0, 4] },
      chartTitle: { bold: true, margin: [0, 0, 0, 4] },
      note: { margin: [8, 6, 0, 10] },
    },
    content: [
      { text: headings.title, style: 'h1' },
      ...meta.map((line): Content => ({ text: line, style: 'meta' })),
      {
        stack: [{ text: texts.anonymisationHeading, bold: true, margin: [0, 0, 0, 2] }, { ul: [...texts.anonymisation] }],
        style: 'note',
      },
      ...(text ? textContent(text) : []),
      // the order of the HTML: all households, goal 3, households with children, the activities
      ...scopeContent('all', page),
      ...goalThreeContent(page),
      ...scopeContent('withChildren', page),
      ...activityContent(page),
    ],
  };
};

/**
 * pdfmake's one instance is shared by the process: fonts and access policies are set before every
 * document (idempotent). Nothing is fetched; only the font files may be read.
 */
const configure = (): void => {
  pdfmake.setFonts({ Roboto: FONT_FILES });
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path) => ALLOWED_FILES.has(path));
};

/** Any document definition as PDF bytes, with the fonts and access policies above (the household's access report uses it too). */
export const renderPdfDocument = async (definition: TDocumentDefinitions): Promise<Buffer> => {
  configure();
  return pdfmake.createPdf(definition).getBuffer();
};

/** A report (annual or any period) as an A4 PDF; the same report gives the same bytes. */
export const renderAnnualReportPdf = (report: PeriodicReport, text?: ReportText): Promise<Buffer> =>
  renderPdfDocument(annualReportPdfDefinition(report, text));
