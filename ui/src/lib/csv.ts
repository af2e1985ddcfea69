// A spreadsheet file (CSV) as Excel and LibreOffice open it: RFC 4180 quoting, CR LF line ends,
// UTF-8 with a byte order mark (without it Excel reads Cyrillic as another code page), and no
// cell that a spreadsheet would run as a formula.

export type Cell = string | number

const BOM = '\ufeff'
const CRLF = '\r\n'

// OWASP "CSV injection": a cell that starts with one of these may be read as a formula.
const FORMULA_START = /^[=+\-@\t\r]/

/** Text that no spreadsheet runs: a leading quote makes a would-be formula plain text. */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

/** One cell: a number as it is; text guarded, then quoted with its quotes doubled (RFC 4180). */
export function csvCell(value: Cell): string {
  if (typeof value === 'number') return String(value)
  return `"${guardFormula(value).replaceAll('"', '""')}"`
}

/** The whole file's text: a byte order mark, then each row on a line of its own ending in CR LF.
 * A line break inside a cell stays as it is, inside the cell's quotes (as spreadsheets write
 * one typed into a cell). */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return BOM + rows.map((row) => row.map(csvCell).join(',') + CRLF).join('')
}

/** miniatures-YYYY-MM-DD.csv, dated by the UTC date, as the backup export is. */
export function csvFileName(now: Date): string {
  return `miniatures-${now.toISOString().slice(0, 10)}.csv`
}
