import { createTestDatabase } from '@taskmarket/db'
import { describe, expect, it } from 'vitest'
import { pingDatabase } from './health.ts'

describe('pingDatabase', () => {
  it('resolves while the database answers and throws once it is closed', async () => {
    const db = await createTestDatabase()
    await expect(pingDatabase(db)).resolves.toBeUndefined()
    await db.close()
    await expect(pingDatabase(db)).rejects.toThrow()
  })
})
