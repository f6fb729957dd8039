export { type CreateDatabaseParameters, type Database, type Queryable, type Row, createDatabase } from './database.ts'
export { migrate } from './migrate.ts'
export { createTestDatabase, freshTestDatabaseUrl } from './testDatabase.ts'
