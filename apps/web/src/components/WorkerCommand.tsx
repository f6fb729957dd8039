/** The command that starts a compute node for this market, in a block that wraps on a phone. */
export function WorkerCommand() {
  const origin = typeof window === 'undefined' ? 'http://localhost:8080' : window.location.origin
  return <pre className="code code-wrap">npx taskmarket worker --server {origin}</pre>
}
