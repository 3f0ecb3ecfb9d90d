/** One line of the reliability table: a family of cases and what went wrong in it. */
export interface ReliabilityRow {
  family: string;
  /** Cases tried (operations, damaged files, bad inputs...). */
  cases: number;
  /** Hits whose bytes were not the entry's. Must be 0. */
  wrongBytes: number;
  /** Calls that failed the caller where the cache should have carried on. Must be 0. */
  callerErrors: number;
  /** What was left behind after verify: temporary files, index rows without a blob, half files. Must be 0. */
  leftovers: number;
  notes: string;
}

/** The table as printed at the end of the suite (and pasted into the closing note). */
export function formatTable(rows: readonly ReliabilityRow[]): string {
  const header = ['family', 'cases', 'wrong bytes', 'caller errors', 'leftovers', 'notes'];
  const cells = rows.map((row) => [
    row.family,
    String(row.cases),
    String(row.wrongBytes),
    String(row.callerErrors),
    String(row.leftovers),
    row.notes,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}
