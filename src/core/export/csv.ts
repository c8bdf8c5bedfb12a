// CSV per RFC 4180 with a guard against spreadsheet formula injection. Tokens are untrusted text: a vocabulary can
// hold "=cmd|' /C calc'!A0", and a CSV opened in Excel, LibreOffice Calc or Google Sheets evaluates a cell that
// starts with "=" (or "+", "-", "@", …) as a formula.

/** Line break between records: RFC 4180 §2.1 says CRLF (pandas, R and spreadsheets read LF and CRLF alike). */
export const CSV_EOL = '\r\n';

/**
 * Cells that spreadsheets evaluate: leading "=", "+", "-", "@" (OWASP "CSV Injection"), tab and carriage return
 * (OWASP), and NUL (ASVS 5.0 requirement 1.2.10), after any run of apostrophes (see guardFormula).
 */
const FORMULA_START = /^'*[=+\-@\t\r\0]/;
/** A guarded cell: one apostrophe added in front of what FORMULA_START matches. */
const GUARDED = /^'+[=+\-@\t\r\0]/;

/**
 * Makes a text cell inert in spreadsheets by prefixing one apostrophe when it starts with a formula trigger, the
 * OWASP-recommended neutraliser (Excel and Calc take a leading apostrophe as "this is text"; quoting alone does not
 * stop evaluation). Text that already starts with apostrophes followed by a trigger gets one more, so the guard is
 * reversible: unguardFormula gives back exactly the original, for every string. Numbers are not text cells and are
 * never guarded ("-0.5" stays a number).
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Undoes guardFormula: drops the one apostrophe it added. */
export function unguardFormula(text: string): string {
  return GUARDED.test(text) ? text.slice(1) : text;
}

/** RFC 4180 §2.6–2.7: a field with a comma, quote, CR or LF is enclosed in quotes, and its quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An untrusted text cell (a token): formula-guarded, then quoted as needed. */
export function csvText(text: string): string {
  return csvField(guardFormula(text));
}

/** One record: fields already made safe with csvText/csvField (numbers need no quoting), then CSV_EOL. */
export function csvRecord(fields: readonly string[]): string {
  return fields.join(',') + CSV_EOL;
}
