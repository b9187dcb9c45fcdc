/** Tables a benchmark printed as markdown, read back for results/latest.json. */
export interface PrintedTable {
  title: string;
  columns: string[];
  rows: string[][];
}

/** Each markdown table in `text` (a header, a separator, rows), with the non-empty line above it. */
export function markdownTables(text: string): PrintedTable[] {
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const lines = text.split('\n');
  const tables: PrintedTable[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || (i > 0 && lines[i - 1]!.startsWith('|'))) continue;
    let title = '';
    for (let j = i - 1; j >= 0 && title === ''; j--) title = lines[j]!.trim();
    const table: PrintedTable = { title, columns: cells(lines[i]!), rows: [] };
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i++) table.rows.push(cells(lines[i]!));
    tables.push(table);
  }
  return tables;
}
