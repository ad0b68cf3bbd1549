/** Escapes text for HTML and SVG content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Markup that is already safe; only `html` and `trusted` make one. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** For fixed markup written in this code (the style sheet); never for data. */
export const trusted = (value: string): Markup => new Markup(value);

const piece = (value: unknown): string => {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
};

/**
 * Template tag: every interpolated value is escaped unless it is Markup, so a label or code can
 * never inject markup, whichever renderer forgets to think about it.
 */
export const html = (strings: TemplateStringsArray, ...values: unknown[]): Markup =>
  new Markup(strings.reduce((out, text, i) => out + text + (i < values.length ? piece(values[i]) : ''), ''));
