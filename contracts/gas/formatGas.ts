import {
  GAS_BATCH,
  GAS_POCO,
  GAS_POSTERS,
  GAS_TARGET,
  GAS_WORKER_POOL,
  type GasPath,
  type GasRow,
  type MeasureGasReturnType,
} from './measureGas.ts'

const fmt = (gas: bigint) => gas.toLocaleString('en-US')

/** The per-function table: contract, function, gas and note, one line each after a title and a header. */
export function formatGasRows(rows: readonly GasRow[]): string[] {
  const width = { contract: 13, fn: 26, gas: 11 }
  return [
    'Gas per external function (gasUsed of one representative call)',
    '',
    `${'contract'.padEnd(width.contract)}${'function'.padEnd(width.fn)}${'gas'.padStart(width.gas)}  note`,
    '-'.repeat(width.contract + width.fn + width.gas + 36),
    ...rows.map((r) => {
      const gas = fmt(r.gas).padStart(width.gas)
      return `${r.contract.padEnd(width.contract)}${r.fn.padEnd(width.fn)}${gas}  ${r.note ?? ''}`
    }),
  ]
}

/** The per-path table: gas per task to create, to settle and in all, against DESIGN.md's target. */
export function formatGasPaths(paths: readonly GasPath[]): string[] {
  return [
    `Amortized gas of one 3-replica compute task, batches of ${GAS_BATCH} ` +
      `(${GAS_POSTERS} posters, workers drawn from a pool of ${GAS_WORKER_POOL})`,
    '',
    `${'path'.padEnd(38)}${'create'.padStart(10)}${'settle'.padStart(10)}${'per task'.padStart(11)}  vs target`,
    '-'.repeat(85),
    ...paths.map((p) => {
      const delta = p.total - GAS_TARGET
      const verdict =
        delta <= 0n
          ? `within (${fmt(-delta)} to spare)`
          : `over by ${fmt(delta)} (+${(Number((delta * 1000n) / GAS_TARGET) / 10).toFixed(1)}%)`
      const figures = `${fmt(p.create).padStart(10)}${fmt(p.settle).padStart(10)}${fmt(p.total).padStart(11)}`
      return `${p.path.padEnd(38)}${figures}  ${verdict}`
    }),
  ]
}

/** The headline beside its target and iExec's figure. */
export function formatGasHeadline(headline: bigint): string[] {
  return [
    `Headline: ${fmt(headline)} gas per 3-replica compute task`,
    `Target:   ${fmt(GAS_TARGET)} (DESIGN.md section 9)`,
    `iExec PoCo reference: ~${fmt(GAS_POCO)} (initialize + 3 contribute + 3 reveal + finalize), ` +
      `${(Number(GAS_POCO) / Number(headline)).toFixed(0)}x more`,
  ]
}

/**
 * The whole report as `npm run gas` prints it: the per-function table, the per-path table, the headline.
 * @example console.log(formatGasReport(await measureGas()))
 */
export function formatGasReport(report: MeasureGasReturnType): string {
  const { rows, paths, headline } = report
  return ['', ...formatGasRows(rows), '', ...formatGasPaths(paths), '', ...formatGasHeadline(headline)].join('\n')
}
