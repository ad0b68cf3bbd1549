/**
 * @jest-environment ./tools/jest/jsdom-environment.js
 */
import { render, screen, within } from '@testing-library/react';
import { chartData, ComparisonChart, withheldCells, type ComparisonRow } from './ReportCharts';
import { CountValue } from './stats-view';

/** Published cells as published: "<5" and "unterdrückt" are never a number, never a bar. */
const rows: ComparisonRow[] = [
  { key: 'asd', label: 'ASD', current: 12, previous: '<5' },
  { key: 'jobcenter', label: 'Jobcenter', current: 'suppressed', previous: 7 },
  { key: 'self', label: 'Selbstmelder', current: 0, previous: 0 },
];

beforeAll(() => {
  // jsdom lays nothing out; the chart's container only needs to be observable.
  globalThis.ResizeObserver ??= class {
    observe = () => undefined;
    unobserve = () => undefined;
    disconnect = () => undefined;
  } as unknown as typeof ResizeObserver;
});

describe('published cells', () => {
  it('shows "<5" and "unterdrückt" with their explanation, numbers as numbers', () => {
    render(
      <p>
        <CountValue value="<5" /> <CountValue value="suppressed" /> <CountValue value={0} />
      </p>,
    );
    expect(screen.getByText('<5').getAttribute('title')).toBe('ein Wert von 1 bis 4');
    expect(screen.getByText('unterdrückt').getAttribute('title')).toBe('zum Schutz eines anderen Werts verdeckt');
    expect(screen.getByText(/0$/)).toBeTruthy();
  });

  it('plots only published numbers: a withheld cell has no value and keeps its marker as the label', () => {
    expect(chartData(rows)).toEqual([
      { label: 'ASD', current: 12, previous: null, currentLabel: '12', previousLabel: '<5' },
      { label: 'Jobcenter', current: null, previous: 7, currentLabel: 'unterdrückt', previousLabel: '7' },
      { label: 'Selbstmelder', current: 0, previous: 0, currentLabel: '0', previousLabel: '0' },
    ]);
    expect(withheldCells(rows, 2025)).toEqual(['ASD 2024: <5', 'Jobcenter 2025: unterdrückt']);
  });
});

describe('the chart', () => {
  it('has a table with the same cells behind it, and says which values are withheld', () => {
    render(<ComparisonChart id="c" title="Zugänge nach Zugangsweg" year={2025} rows={rows} />);
    const figure = screen.getByRole('figure', { name: 'Zugänge nach Zugangsweg' });
    expect(within(figure).getByText('Tabelle: Zugänge nach Zugangsweg').tagName).toBe('SUMMARY');
    const table = within(figure).getByRole('table', { name: 'Zugänge nach Zugangsweg' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Kategorie', '2025', '2024']);
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => [...row.querySelectorAll('th, td')].map((c) => c.textContent));
    expect(cells).toEqual([
      ['ASD', '12', '<5'],
      ['Jobcenter', 'unterdrückt', '7'],
      ['Selbstmelder', '0', '0'],
    ]);
    const note = 'Nicht gezeichnet (zurückgehalten): ASD 2024: <5; Jobcenter 2025: unterdrückt.';
    expect(figure.querySelector('p.report-chart-note')?.textContent).toBe(note);
    // The SVG itself is labelled and says the same (what a screen reader meets on the chart).
    const svg = figure.querySelector('.recharts-wrapper > svg');
    expect(svg?.querySelector('title')?.textContent).toBe('Zugänge nach Zugangsweg');
    expect(svg?.querySelector('desc')?.textContent).toContain(note);
  });

  it('leaves categories with nothing in either year to the table, and says nothing is withheld when all is published', () => {
    render(<ComparisonChart id="c" title="Kennzahlen" year={2025} rows={[rows[2]]} />);
    expect(screen.queryByText(/Nicht gezeichnet/)).toBeNull();
    expect(screen.getByText(/In beiden Jahren keine Fälle/)).toBeTruthy();
    expect(screen.getByRole('table', { name: 'Kennzahlen' })).toBeTruthy();
  });
});
