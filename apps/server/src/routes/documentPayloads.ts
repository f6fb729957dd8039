import { payloadSchemas } from '@taskmarket/core'

type Json = Record<string, any>

/**
 * The OpenAPI document with each kind's payload schema as a component (`HashPayload`, …, with an example),
 * task bodies and views pointing at them (`payload: oneOf [...]`) instead of `additionalProperties: {}`,
 * and one example body per kind on POST /tasks and /tasks/orders. Documentation only: requests are still
 * validated as before (the envelope by the route, the payload by its kind's schema when posting).
 */
export function documentPayloads(doc: Json): Json {
  const refs = Object.values(payloadSchemas).map((schema) => ({ $ref: `#/components/schemas/${(schema as Json).title}` }))
  doc.components ??= {}
  doc.components.schemas ??= {}
  for (const schema of Object.values(payloadSchemas)) doc.components.schemas[(schema as Json).title] = toOpenApi30(schema)

  for (const [path, operations] of Object.entries(doc.paths as Json)) {
    for (const operation of Object.values(operations as Json)) {
      const schemas = [operation.requestBody?.content?.['application/json']?.schema, ...Object.values(operation.responses ?? {}).map((r: any) => r?.content?.['application/json']?.schema)]
      for (const schema of schemas) if (schema) pointPayloads(schema, refs)
      const body = operation.requestBody?.content?.['application/json']
      if (body && (path === '/tasks' || path === '/tasks/orders')) body.examples = exampleBodies()
    }
  }
  return doc
}

/** Replaces every task payload (an object beside a `challenge_type`) with the kinds' schemas, at any depth. */
function pointPayloads(schema: Json, refs: Json[]) {
  if (!schema || typeof schema !== 'object') return
  if (schema.properties?.challenge_type && schema.properties?.payload?.type === 'object') {
    schema.properties.payload = { description: 'The payload of the task’s kind (challenge_type): one of the *Payload schemas', oneOf: refs }
  }
  for (const value of Object.values(schema)) if (value && typeof value === 'object') pointPayloads(value, refs)
}

function exampleBodies(): Json {
  return Object.fromEntries(
    Object.entries(payloadSchemas).map(([kind, schema]) => [kind, { summary: `a ${kind} task`, value: { challenge_type: kind, payload: (schema as Json).examples[0], reward: '10' } }]),
  )
}

/** A TypeBox (JSON Schema) schema as OpenAPI 3.0 writes it: `example` for `examples`, `enum` for `const`. */
function toOpenApi30(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(toOpenApi30)
  if (!schema || typeof schema !== 'object') return schema
  const out: Json = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'examples') out.example = (value as unknown[])[0]
    else if (key === 'const') out.enum = [value]
    else out[key] = key === 'example' ? value : toOpenApi30(value)
  }
  return out
}
