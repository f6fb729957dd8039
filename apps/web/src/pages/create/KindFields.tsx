import { Field } from '../../components/Field.tsx'
import { formatBytes } from '../../lib/format.ts'
import { type FormErrors, type TaskFormValues, bounds, exampleScenes } from '../../lib/taskForm.ts'

type Props<K extends keyof TaskFormValues> = {
  values: TaskFormValues[K]
  errors: FormErrors
  set: (patch: Partial<TaskFormValues[K]>) => void
}

const range = (kind: Parameters<typeof bounds>[0], prop: string, unit = '') => {
  const b = bounds(kind, prop)
  return `${b.min?.toLocaleString()}–${b.max?.toLocaleString()}${unit}`
}

function FileInput({ id, label, file, error, hint, accept, onChange }: { id: string; label: string; file: File | null; error?: string; hint?: string; accept?: string; onChange: (f: File | null) => void }) {
  return (
    <Field id={id} label={label} error={error} hint={file ? `${file.name} · ${formatBytes(file.size)}` : hint}>
      <input type="file" accept={accept} onChange={(e) => onChange(e.target.files?.[0] ?? null)} />
    </Field>
  )
}

export function RenderingFields({ values: v, errors, set }: Props<'rendering'>) {
  return (
    <>
      <Field id="payload.scene_file" label="Scene" error={v.scene === 'upload' ? undefined : errors['payload.scene_file']} hint="An example scene, or your own scene JSON in the path tracer's format">
        <select value={v.scene} onChange={(e) => set({ scene: e.target.value })}>
          {exampleScenes.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
          <option value="upload">Upload a scene file…</option>
        </select>
      </Field>
      {v.scene === 'upload' && <FileInput id="scene-file" label="Scene file (JSON)" accept="application/json,.json" file={v.sceneFile} error={errors['payload.scene_file']} onChange={(f) => set({ sceneFile: f })} />}
      <fieldset className="fieldset">
        <legend>Resolution (pixels)</legend>
        <div className="row-2">
          <Field id="payload.resolution" label="Width" error={errors['payload.resolution']}>
            <input inputMode="numeric" value={v.width} onChange={(e) => set({ width: e.target.value })} />
          </Field>
          <Field id="rendering-height" label="Height">
            <input inputMode="numeric" value={v.height} onChange={(e) => set({ height: e.target.value })} />
          </Field>
        </div>
      </fieldset>
      <div className="row-2">
        <Field id="payload.tile_size" label="Tile size" error={errors['payload.tile_size']} hint={`${range('rendering', 'tile_size', ' px')}; one job per tile`}>
          <input inputMode="numeric" value={v.tileSize} onChange={(e) => set({ tileSize: e.target.value })} />
        </Field>
        <Field id="payload.samples_per_pixel" label="Samples per pixel" error={errors['payload.samples_per_pixel']} hint={`${range('rendering', 'samples_per_pixel')}; more is smoother and slower`}>
          <input inputMode="numeric" value={v.samples} onChange={(e) => set({ samples: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

export function HashFields({ values: v, errors, set }: Props<'hash'>) {
  return (
    <>
      <div className="segmented" role="radiogroup" aria-label="Where the data comes from">
        {(['text', 'file'] as const).map((m) => (
          <button key={m} type="button" role="radio" aria-checked={v.mode === m} className="segment" onClick={() => set({ mode: m })}>
            {m === 'text' ? 'Type or paste' : 'Upload a file'}
          </button>
        ))}
      </div>
      {v.mode === 'text' ? (
        <Field id="payload.input" label="Data" error={errors['payload.input']} hint="Uploaded as a blob; workers hash it chunk by chunk">
          <textarea rows={4} value={v.text} onChange={(e) => set({ text: e.target.value })} />
        </Field>
      ) : (
        <FileInput id="payload.input" label="Dataset file" file={v.file} error={errors['payload.input']} onChange={(f) => set({ file: f })} />
      )}
      <div className="row-2">
        <Field id="payload.algorithm" label="Algorithm">
          <select value={v.algorithm} onChange={(e) => set({ algorithm: e.target.value as TaskFormValues['hash']['algorithm'] })}>
            <option value="sha256">SHA-256</option>
            <option value="sha512">SHA-512</option>
            <option value="sha3-256">SHA3-256</option>
            <option value="blake2b512">BLAKE2b-512</option>
          </select>
        </Field>
        <Field id="payload.chunk_size" label="Chunk size (KB)" error={errors['payload.chunk_size']} hint="One job per chunk">
          <input inputMode="numeric" value={v.chunkKb} onChange={(e) => set({ chunkKb: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

export function SyntheticFields({ values: v, errors, set }: Props<'synthetic'>) {
  return (
    <>
      <Field id="payload.seed" label="Seed" error={errors['payload.seed']} hint="Hex; the same seed gives the same result on every honest node">
        <input spellCheck={false} value={v.seed} onChange={(e) => set({ seed: e.target.value })} />
      </Field>
      <div className="row-2">
        <Field id="payload.matrix_size" label="Matrix size" error={errors['payload.matrix_size']} hint={range('synthetic', 'matrix_size')}>
          <input inputMode="numeric" value={v.matrixSize} onChange={(e) => set({ matrixSize: e.target.value })} />
        </Field>
        <Field id="payload.iterations" label="Iterations" error={errors['payload.iterations']} hint={range('synthetic', 'iterations')}>
          <input inputMode="numeric" value={v.iterations} onChange={(e) => set({ iterations: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

export function WasmFields({ values: v, errors, set }: Props<'wasm'>) {
  return (
    <>
      <FileInput id="payload.module" label="WebAssembly module (.wasm)" accept=".wasm,application/wasm" file={v.module} error={errors['payload.module']} hint="Runs sandboxed: no host access, memory and time limited" onChange={(f) => set({ module: f })} />
      <FileInput id="payload.input" label="Input data" file={v.input} error={errors['payload.input']} hint="Split into chunks; each chunk is one job" onChange={(f) => set({ input: f })} />
      <div className="row-3">
        <Field id="payload.chunk_size" label="Chunk (KB)" error={errors['payload.chunk_size']}>
          <input inputMode="numeric" value={v.chunkKb} onChange={(e) => set({ chunkKb: e.target.value })} />
        </Field>
        <Field id="payload.memory_limit_mb" label="Memory (MB)" error={errors['payload.memory_limit_mb']} hint={range('wasm', 'memory_limit_mb')}>
          <input inputMode="numeric" value={v.memoryMb} onChange={(e) => set({ memoryMb: e.target.value })} />
        </Field>
        <Field id="payload.time_limit_ms" label="Time (ms)" error={errors['payload.time_limit_ms']} hint={range('wasm', 'time_limit_ms')}>
          <input inputMode="numeric" value={v.timeMs} onChange={(e) => set({ timeMs: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

export function InferenceFields({ values: v, errors, set }: Props<'inference'>) {
  return (
    <>
      <Field id="payload.model_id" label="Model" error={errors['payload.model_id']} hint="As the serving node names it, e.g. llama-3.1-8b-instruct">
        <input value={v.modelId} onChange={(e) => set({ modelId: e.target.value })} />
      </Field>
      <Field id="payload.prompt" label="Prompt" error={errors['payload.prompt']}>
        <textarea rows={5} value={v.prompt} onChange={(e) => set({ prompt: e.target.value })} />
      </Field>
      <div className="row-2">
        <Field id="payload.max_tokens" label="Max tokens" error={errors['payload.max_tokens']} hint={range('inference', 'max_tokens')}>
          <input inputMode="numeric" value={v.maxTokens} onChange={(e) => set({ maxTokens: e.target.value })} />
        </Field>
        <Field id="payload.temperature" label="Temperature" error={errors['payload.temperature']} hint="0–2">
          <input inputMode="decimal" value={v.temperature} onChange={(e) => set({ temperature: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

export function TrainingFields({ values: v, errors, set }: Props<'training'>) {
  return (
    <>
      <Field id="payload.model_architecture" label="Model architecture" error={errors['payload.model_architecture']} hint="e.g. mlp-2x64">
        <input value={v.architecture} onChange={(e) => set({ architecture: e.target.value })} />
      </Field>
      <Field id="payload.dataset_url" label="Dataset URL" error={errors['payload.dataset_url']}>
        <input type="url" value={v.datasetUrl} onChange={(e) => set({ datasetUrl: e.target.value })} />
      </Field>
      <div className="row-2">
        <Field id="payload.epochs" label="Epochs" error={errors['payload.epochs']} hint={range('training', 'epochs')}>
          <input inputMode="numeric" value={v.epochs} onChange={(e) => set({ epochs: e.target.value })} />
        </Field>
        <Field id="payload.batch_size" label="Batch size" error={errors['payload.batch_size']} hint={range('training', 'batch_size')}>
          <input inputMode="numeric" value={v.batchSize} onChange={(e) => set({ batchSize: e.target.value })} />
        </Field>
      </div>
    </>
  )
}
