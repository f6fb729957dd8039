import Value from 'typebox/value'
import { describe, expect, it } from 'vitest'
import { challengeTypes, payloadSchemas } from './kinds.ts'

describe('payload schemas', () => {
  it('every kind has a titled schema whose examples it accepts (they are the OpenAPI document’s examples)', () => {
    for (const kind of challengeTypes) {
      const schema = payloadSchemas[kind] as { title?: string; examples?: unknown[] }
      expect(schema.title, kind).toMatch(/Payload$/)
      expect(schema.examples?.length, kind).toBeGreaterThan(0)
      for (const example of schema.examples!) expect(Value.Check(payloadSchemas[kind], example), `${kind}: ${JSON.stringify(example)}`).toBe(true)
    }
  })
})
