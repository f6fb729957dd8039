import { createReadStream, statSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { args, unknownSubcommand, UsageError } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const blobHelp = `taskmarket blob put FILE [--type CONTENT-TYPE]

Uploads a file to the market's content-addressed blob store (streamed, with progress for big files) and
prints its sha256, the id a task payload names: hash and wasm tasks' "input", a wasm task's "module", a
rendering's "scene_file". The type defaults from the extension (.wasm, .json, .png, …, else bytes).`

/** Files larger than this show a progress bar while they upload. */
const PROGRESS_FROM_BYTES = 8 * 1024 * 1024

const typesByExtension: Record<string, string> = {
  '.wasm': 'application/wasm', '.json': 'application/json', '.ndjson': 'application/x-ndjson', '.txt': 'text/plain', '.csv': 'text/csv',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.gz': 'application/gzip', '.zip': 'application/zip', '.tar': 'application/x-tar',
}

/** `taskmarket blob put FILE`: streams a file into the blob store and prints its sha256. */
export async function blob(argv: string[], out: Output): Promise<number> {
  const [sub, ...rest] = argv
  if (sub !== 'put') throw unknownSubcommand('blob', sub, blobHelp)
  const { values, positionals } = args(rest, { server: { type: 'string' }, 'api-key': { type: 'string' }, key: { type: 'string' }, type: { type: 'string' } })
  const file = positionals[0]
  if (!file) throw new UsageError('give the FILE to upload', blobHelp)
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new UsageError(`${file} is not a file`, blobHelp)
    size = stat.size
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, blobHelp)
  }
  const contentType = values.type ?? typesByExtension[extname(file).toLowerCase()] ?? 'application/octet-stream'
  const { client } = await openSession(values)

  let sent = 0
  let shownAt = 0
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length
      const now = Date.now()
      if (size >= PROGRESS_FROM_BYTES && (now - shownAt > 250 || sent === size)) {
        shownAt = now
        out.progress(sent / size, `${basename(file)} ${mb(sent)} of ${mb(size)} MB`)
      }
      done(null, chunk)
    },
  })
  const stream = Readable.toWeb(createReadStream(file).pipe(counted)) as ReadableStream<Uint8Array>
  const stored = await client.blobs.upload(stream, contentType)
  out.done()
  out.result({ ...stored, file }, `${stored.hash}  ${file} (${stored.size} bytes, ${stored.content_type})`)
  return 0
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
