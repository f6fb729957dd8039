import { type Static, Type } from 'typebox'
import { Address, TokenAmount, UnixSeconds, literals } from './common.ts'

/** Proofs a manual task can ask for (seed 000: photo, location stamp, signature; plus text and a checklist). */
export const proofKinds = ['photo', 'location', 'signature', 'text', 'checklist'] as const
export type ProofKind = (typeof proofKinds)[number]
/** Proofs that are files, uploaded one by one before the work is submitted. */
export const fileProofKinds = ['photo', 'signature'] as const

const Latitude = Type.Number({ minimum: -90, maximum: 90 })
const Longitude = Type.Number({ minimum: -180, maximum: 180 })

export const PlaceSchema = Type.Object(
  {
    latitude: Latitude,
    longitude: Longitude,
    radius_m: Type.Integer({ minimum: 10, maximum: 100_000, description: 'How far from the point a location stamp may be' }),
    label: Type.Optional(Type.String({ maxLength: 200, description: 'An address or landmark, shown to workers' })),
  },
  { additionalProperties: false },
)

/** A manual task (seed 000): a person does it and proves it; the poster approves each assignment. */
export const ManualPayload = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.String({ minLength: 1, maxLength: 5_000 }),
    place: Type.Optional(PlaceSchema),
    proofs: Type.Array(Type.Union(literals(proofKinds)), { minItems: 1, maxItems: 5, uniqueItems: true }),
    checklist: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 20 })),
    assignments: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'How many people may do it; each approved assignment is paid reward ÷ assignments' })),
    assignment_minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 10_080, description: 'A claim not submitted within this time expires and the slot goes back to the pool (default 120)' })),
    auto_approve_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: 'Submitted work not reviewed within this time is approved and paid (default 72)' })),
  },
  { title: 'ManualPayload', description: 'manual: work people do and prove (docs/human-work.md)', additionalProperties: false, examples: [{ title: 'Photograph the opening hours sign', description: 'Take a clear photo of the opening hours at the front door of the shop.', proofs: ['photo', 'text'], assignments: 2 }] },
)
export type ManualPayload = Static<typeof ManualPayload>

export const GoldQuestion = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 500 }),
    options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 10 }),
    answer: Type.Integer({ minimum: 0, maximum: 9, description: 'Index of the right option; never shown to respondents' }),
  },
  { additionalProperties: false },
)

/** A poll (seed 002, Task-Net): one vote per person; the reward goes to the majority's voters. */
export const PollPayload = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 5_000 })),
    options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 20, uniqueItems: true }),
    respondents: Type.Integer({ minimum: 1, maximum: 200, description: 'The poll closes when this many have voted (at most 200: one settlement pays them all)' }),
    reward_rule: Type.Optional(Type.Union(literals(['majority', 'all'] as const), { description: 'Pay the majority’s voters (default) or every counted respondent' })),
    selection: Type.Optional(Type.Union(literals(['open', 'random'] as const), { description: 'open: anyone who qualifies may vote; random: only people drawn at random from those who qualify' })),
    gold: Type.Optional(Type.Array(GoldQuestion, { maxItems: 5, description: 'Questions with known answers; a respondent who misses one is not counted or paid' })),
  },
  { title: 'PollPayload', description: 'poll: one vote per person, the majority paid (docs/human-work.md)', additionalProperties: false, examples: [{ title: 'Which logo reads better?', options: ['Blue', 'Green'], respondents: 5 }] },
)
export type PollPayload = Static<typeof PollPayload>

/** Descriptors a task may filter on: public and (opted-in) sensitive profile fields, and derived ones. */
export const qualificationFields = ['skills', 'languages', 'region', 'occupation', 'interests', 'age', 'sex', 'religion', 'nationality', 'trust_level', 'tasks_approved'] as const
const Field = Type.Union(literals(qualificationFields))
const Scalar = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Number()])
export const QualificationSchema = Type.Union([
  Type.Object({ field: Field, op: Type.Union(literals(['in', 'not_in'] as const)), value: Type.Array(Scalar, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
  Type.Object({ field: Field, op: Type.Literal('exists') }, { additionalProperties: false }),
  Type.Object({ field: Field, op: Type.Union(literals(['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const)), value: Scalar }, { additionalProperties: false }),
])
export const Qualifications = Type.Array(QualificationSchema, { maxItems: 20, description: 'Who may see and take the task; every one must hold' })

export const LocationStamp = Type.Object(
  {
    latitude: Latitude,
    longitude: Longitude,
    accuracy_m: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
    taken_at: Type.Optional(UnixSeconds),
  },
  { additionalProperties: false },
)

/** What a worker submits for a claimed assignment; photo and signature are uploaded before. */
export const SubmitWorkBody = Type.Object(
  {
    location: Type.Optional(LocationStamp),
    text: Type.Optional(Type.String({ minLength: 1, maxLength: 5_000 })),
    checklist: Type.Optional(Type.Array(Type.Boolean(), { maxItems: 20 })),
  },
  { additionalProperties: false },
)
export type SubmitWorkBody = Static<typeof SubmitWorkBody>

export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false })
/** Approving human work, with the poster's rating of it (1–5 stars), which counts in the worker's reputation. */
export const ApproveBody = Type.Object(
  { rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'Stars, 1 to 5: the worker’s reputation counts them (seed 002)' })) },
  { additionalProperties: false },
)
export type ApproveBody = Static<typeof ApproveBody>

export const ResolveDisputeBody = Type.Object(
  {
    outcome: Type.Union(literals(['pay_worker', 'reject', 'misuse'] as const), {
      description: 'pay_worker approves and pays; reject returns the slot to the pool; misuse rejects, takes half the worker’s stake and bans it for good (seed 003)',
    }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export const VoteBody = Type.Object(
  {
    option: Type.Integer({ minimum: 0, maximum: 19 }),
    gold: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 9 }), { maxItems: 5, description: 'Answers to the gold questions, in order' })),
  },
  { additionalProperties: false },
)

export const assignmentStatuses = ['claimed', 'submitted', 'approved', 'rejected', 'disputed', 'expired', 'released'] as const
const FileProof = Type.Object({ url: Type.String(), content_type: Type.String(), size: Type.Integer() })
export const AssignmentView = Type.Object({
  assignment_id: Type.String(),
  task_id: Type.String(),
  task_title: Type.String(),
  slot: Type.Integer(),
  worker: Address,
  status: Type.Union(literals(assignmentStatuses)),
  claimed_at: UnixSeconds,
  expires_at: Type.Union([UnixSeconds, Type.Null()], { description: 'When an unsubmitted claim lapses' }),
  submitted_at: Type.Union([UnixSeconds, Type.Null()]),
  review_due_at: Type.Union([UnixSeconds, Type.Null()], { description: 'When unreviewed work is approved automatically' }),
  reviewed_at: Type.Union([UnixSeconds, Type.Null()]),
  review: Type.Union([Type.Object({ by: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), rating: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: 'The poster’s stars, when it rated the work' })) }), Type.Null()]),
  proofs: Type.Object({
    photo: Type.Optional(FileProof),
    signature: Type.Optional(FileProof),
    location: Type.Optional(Type.Object({ latitude: Type.Number(), longitude: Type.Number(), accuracy_m: Type.Union([Type.Number(), Type.Null()]), distance_m: Type.Union([Type.Number(), Type.Null()]), taken_at: Type.Union([UnixSeconds, Type.Null()]) })),
    text: Type.Optional(Type.String()),
    checklist: Type.Optional(Type.Array(Type.Boolean())),
  }),
  payment: Type.Object({ amount: TokenAmount, state: Type.Union(literals(['none', 'queued', 'paid'] as const)), tx_hash: Type.Union([Type.String(), Type.Null()]) }),
})
export type AssignmentView = Static<typeof AssignmentView>

export const PollView = Type.Object({
  task_id: Type.String(),
  title: Type.String(),
  options: Type.Array(Type.String()),
  gold: Type.Array(Type.Object({ question: Type.String(), options: Type.Array(Type.String()) })),
  respondents: Type.Integer(),
  votes: Type.Integer(),
  closed: Type.Boolean(),
  reward_rule: Type.String(),
  selection: Type.String(),
  /** The caller's own vote, when signed in and voted. */
  my_vote: Type.Union([Type.Integer(), Type.Null()]),
  /** Once the poll is closed, whether the caller's vote was screened out by a missed gold question (null when they did not vote or it is open). */
  my_screened: Type.Union([Type.Boolean(), Type.Null()]),
  /** Whether the caller may still vote (signed in, qualified, drawn, not voted, poll open). */
  can_vote: Type.Boolean(),
  /** Counts per option, shown once the poll is closed (to the poster, also while open). */
  counts: Type.Union([Type.Array(Type.Integer()), Type.Null()]),
  outcome: Type.Union([Type.Object({ winners: Type.Array(Type.Integer()), paid: Type.Array(Address), screened: Type.Integer(), amount_each: TokenAmount }), Type.Null()]),
})
export type PollView = Static<typeof PollView>

export const AssignmentList = Type.Object({ assignments: Type.Array(AssignmentView) })
export type AssignmentList = Static<typeof AssignmentList>

/** An uploaded photo or signature, stripped of its metadata; served to its worker, the poster and the operator. */
export const UploadedProof = Type.Object({ kind: Type.Union(literals(fileProofKinds)), url: Type.String(), content_type: Type.String(), size: Type.Integer({ minimum: 0 }) })
export type UploadedProof = Static<typeof UploadedProof>

export const VoteAccepted = Type.Object({ accepted: Type.Literal(true), votes: Type.Integer(), closed: Type.Boolean({ description: 'This vote reached the poll’s respondents and closed it' }) })
export type VoteAccepted = Static<typeof VoteAccepted>
