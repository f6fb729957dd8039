/** `npm run gas`: measures the contracts' gas (see `gas/measureGas.ts`) and prints the tables and the headline. */
import { formatGasReport, measureGas } from '../gas/index.ts'

measureGas()
  .then((report) => console.log(formatGasReport(report)))
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
