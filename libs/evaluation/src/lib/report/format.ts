import type { Figure, FigureKind } from './rows';

/**
 * Number and date formats. The page is German (decimal comma, "83,3 %", dates as 30.04.2025);
 * the CSV picks the decimal mark that goes with its separator.
 */
export type DecimalMark = ',' | '.';

/** Rounded to at most `digits` decimals; `keepZeros` pads them (shares always show one). */
export const formatDecimal = (value: number, digits: number, mark: DecimalMark, group = '', keepZeros = false): string => {
  const fixed = Math.abs(value).toFixed(digits);
  const [whole, fraction = ''] = fixed.split('.');
  const shownFraction = keepZeros ? fraction : fraction.replace(/0+$/, '');
  const grouped = group ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, group) : whole;
  // -0.04 rounds to 0: no minus on a zero
  const sign = value < 0 && Number(fixed) !== 0 ? '-' : '';
  return `${sign}${grouped}${shownFraction ? mark + shownFraction : ''}`;
};

/** German display: thousands grouped with a dot, decimal comma. */
export const formatNumberDe = (value: number, digits = 1): string => formatDecimal(value, digits, ',', '.');

/** A share in [0, 1] as a German percentage: 0.8333 → "83,3 %". */
export const formatPercentDe = (share: number): string => `${formatDecimal(share * 100, 1, ',', '.', true)} %`;

/** A figure's published value for display; hidden counts and withheld values are the caller's. */
export const formatFigureDe = (kind: FigureKind, value: number): string =>
  kind === 'share' ? formatPercentDe(value) : formatNumberDe(value);

const MINUS = '\u2212';
const signed = (text: string, value: number): string => text.replace('-', MINUS).replace(/^(?=\d)/, value > 0 ? '+' : '±');

/**
 * The change from the previous year, or null when either year is hidden or withheld (a
 * difference to a hidden value would reveal it). Shares change in percentage points.
 */
export const formatChangeDe = (kind: FigureKind, current: Figure, previous: Figure, percentagePoints: string): string | null => {
  if (typeof current !== 'number' || typeof previous !== 'number') return null;
  const diff = current - previous;
  if (kind === 'share') return `${signed(formatDecimal(diff * 100, 1, ',', '.', true), diff)} ${percentagePoints}`;
  return signed(formatNumberDe(diff), diff);
};

/** A calendar date as 30.04.2025. */
export const formatDateDe = (date: string): string => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
};

const INSTANT_DE = new Intl.DateTimeFormat('de-DE', {
  timeZone: 'Europe/Berlin',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** An ISO instant as Cologne local time, "15.01.2025, 13:00 Uhr"; an unreadable value is shown as given. */
export const formatInstantDe = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${INSTANT_DE.format(new Date(ms))} Uhr`;
};
