export type TableRow = { metric: string; ours: string; baseline: string; ratio: string }

/** Prints rows as a plain-text table with a header and a rule, columns padded to their widest cell. */
export function printTable(rows: TableRow[], title?: string) {
  const header: TableRow = { metric: 'metric', ours: 'ours', baseline: 'baseline / target', ratio: 'ratio' }
  const keys = ['metric', 'ours', 'baseline', 'ratio'] as const
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...[header, ...rows].map((r) => r[k].length))])) as Record<(typeof keys)[number], number>
  const line = (r: TableRow) => `| ${r.metric.padEnd(width.metric)} | ${r.ours.padStart(width.ours)} | ${r.baseline.padStart(width.baseline)} | ${r.ratio.padStart(width.ratio)} |`
  if (title) console.log(`\n${title}\n`)
  console.log(line(header))
  console.log(`|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`)
  for (const r of rows) console.log(line(r))
}
