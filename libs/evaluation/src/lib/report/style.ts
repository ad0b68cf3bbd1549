/**
 * The page's only style sheet, inline so that the report is one self-contained file: no web
 * fonts, no images, nothing fetched. Print rules give A4 pages, keep tables and charts whole and
 * start the households-with-children part on a new page.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; color: #1a1a1a; line-height: 1.4; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #1d5b87; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
header .meta { margin: .1rem 0; color: #444; }
.note { border-left: 4px solid #1d5b87; background: #f2f6f9; padding: .5rem 1rem; margin: 1rem 0; }
.note h2 { font-size: 1rem; border: 0; margin: .25rem 0; }
.note ul { margin: .25rem 0; padding-left: 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0 1rem; }
caption { text-align: left; font-size: .85rem; color: #444; padding: .25rem 0; }
th, td { border-bottom: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #8c959f; }
.num { text-align: right; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.group th { background: #f6f8fa; font-weight: 600; }
tr.sub th { padding-left: 1.5rem; font-weight: normal; }
tbody th { font-weight: normal; }
.hidden-cell { padding: 0 .3rem; border: 1px solid #8c959f; border-radius: 2px;
  background: repeating-linear-gradient(45deg, #ffffff, #ffffff 3px, #e1e4e8 3px, #e1e4e8 6px); }
.withheld { color: #57606a; }
.incomplete { color: #8a4b00; }
figure { margin: 1rem 0; }
figcaption { font-size: .85rem; color: #444; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart text { fill: #1a1a1a; }
@page { size: A4; margin: 18mm 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, figure, .note { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .page-break { break-before: page; page-break-before: always; }
}
`;
