import { type Static, Type } from 'typebox'
import { Address, UnixSeconds } from './common.ts'

const Words = (max: number) => Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: max, uniqueItems: true })

/** Descriptors anyone may see and match on (seed 002): skills, languages, region, occupation, interests. */
export const PublicDescriptors = Type.Object(
  {
    skills: Type.Optional(Words(50)),
    languages: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$' }), { maxItems: 20, uniqueItems: true })),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    occupation: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    interests: Type.Optional(Words(50)),
  },
  { additionalProperties: false },
)

/** Descriptors kept only with the person's opt-in, used only for matching, never shown to anyone else. */
export const SensitiveDescriptors = Type.Object(
  {
    date_of_birth: Type.Optional(Type.String({ format: 'date' })),
    sex: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    religion: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nationality: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' })),
  },
  { additionalProperties: false },
)

export const ProfileBody = Type.Object(
  {
    descriptors: PublicDescriptors,
    sensitive_opt_in: Type.Boolean({ description: 'Keep the sensitive descriptors for matching; false deletes them' }),
    sensitive: Type.Optional(SensitiveDescriptors),
  },
  { additionalProperties: false },
)
export type ProfileBody = Static<typeof ProfileBody>

/** Your own profile: public descriptors, and the sensitive ones when you opted in. */
export const OwnProfile = Type.Object({
  address: Address,
  descriptors: PublicDescriptors,
  sensitive_opt_in: Type.Boolean(),
  sensitive: Type.Union([SensitiveDescriptors, Type.Null()]),
})
export type OwnProfile = Static<typeof OwnProfile>

/** Someone's profile as anyone sees it: never the sensitive descriptors. */
export const PublicProfile = Type.Object({ address: Address, descriptors: PublicDescriptors })
export type PublicProfile = Static<typeof PublicProfile>

export const BlockedWorker = Type.Object({ worker: Address, reason: Type.Union([Type.String(), Type.Null()]), created_at: UnixSeconds })
export type BlockedWorker = Static<typeof BlockedWorker>

export const BlockList = Type.Object({ blocks: Type.Array(BlockedWorker) })
export type BlockList = Static<typeof BlockList>

export const BlockChanged = Type.Object({ worker: Address, blocked: Type.Boolean() })
export type BlockChanged = Static<typeof BlockChanged>
