import type { ProfileBody } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

type Descriptors = ProfileBody['descriptors']
type Sensitive = NonNullable<ProfileBody['sensitive']>

export type SaveProfileParameters = {
  address: string
  descriptors: Descriptors
  /** Kept only with the person's opt-in; null deletes what was kept. */
  sensitive: Sensitive | null
}

/** The profile of `address` with its sensitive descriptors (for its owner only), or undefined when none was saved. */
export async function ownProfile(db: Queryable, address: string): Promise<{ public: Descriptors; sensitive: Sensitive | null } | undefined> {
  const [row] = await db.query<{ public: Descriptors; sensitive: Sensitive | null }>('SELECT public, sensitive FROM profiles WHERE address = $1', [address])
  return row
}

/** The public descriptors of `address` (never the sensitive ones), or undefined when it saved no profile. */
export async function publicDescriptors(db: Queryable, address: string): Promise<Descriptors | undefined> {
  const [row] = await db.query<{ public: Descriptors }>('SELECT public FROM profiles WHERE address = $1', [address])
  return row?.public
}

/** Creates or replaces the profile of `address`. */
export async function saveProfile(db: Queryable, { address, descriptors, sensitive }: SaveProfileParameters): Promise<void> {
  await db.query(
    `INSERT INTO profiles (address, public, sensitive) VALUES ($1, $2, $3)
     ON CONFLICT (address) DO UPDATE SET public = $2, sensitive = $3, updated_at = now()`,
    [address, JSON.stringify(descriptors), sensitive === null ? null : JSON.stringify(sensitive)],
  )
}
