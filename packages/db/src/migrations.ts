/** Schema migrations, applied in order; never edit one that has shipped, append a new one. */
export const migrations: readonly string[] = [
  `
CREATE TABLE accounts (
  address text PRIMARY KEY,
  next_order_nonce bigint NOT NULL DEFAULT 0,
  next_local_task bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE siwe_nonces (
  nonce text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  address text NOT NULL,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  address text NOT NULL,
  name text NOT NULL,
  prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_address ON api_keys (address);
CREATE TABLE blobs (
  hash text PRIMARY KEY,
  size bigint NOT NULL,
  content_type text NOT NULL,
  uploader text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  chain_task_id text NOT NULL UNIQUE,
  poster text NOT NULL,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  reward numeric(78,0) NOT NULL,
  fee_scheme int NOT NULL,
  status text NOT NULL,
  escrow_state text NOT NULL,
  escrow_tx text,
  funding text NOT NULL,
  deadline timestamptz NOT NULL,
  min_quorum int NOT NULL,
  target_results int NOT NULL,
  max_error_results int NOT NULL,
  max_total_results int NOT NULL,
  min_trust_level int NOT NULL DEFAULT 0,
  jobs_total int NOT NULL,
  jobs_done int NOT NULL DEFAULT 0,
  failure_reason text,
  result jsonb,
  settlement_batch text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX tasks_status_created ON tasks (status, created_at);
CREATE INDEX tasks_poster ON tasks (poster, created_at);
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  chain_job_id text NOT NULL,
  task_id uuid NOT NULL REFERENCES tasks (id),
  index int NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'waiting',
  wanted int NOT NULL,
  issued int NOT NULL DEFAULT 0,
  canonical_digest text,
  output_blob text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (task_id, index)
);
CREATE INDEX jobs_open ON jobs (status, task_id, index);
CREATE TABLE assignments (
  id uuid PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES jobs (id),
  task_id uuid NOT NULL REFERENCES tasks (id),
  worker text NOT NULL,
  status text NOT NULL,
  lease_expires_at timestamptz NOT NULL,
  progress real NOT NULL DEFAULT 0,
  digest text,
  seal text,
  output_blob text,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz
);
-- One live replica of a job per worker; a worker whose lease lapsed may take the job again.
CREATE UNIQUE INDEX assignments_one_per_worker ON assignments (job_id, worker) WHERE status NOT IN ('expired', 'released', 'cancelled');
CREATE INDEX assignments_leased ON assignments (lease_expires_at) WHERE status = 'leased';
CREATE INDEX assignments_worker ON assignments (worker, status);
CREATE INDEX assignments_task ON assignments (task_id);
CREATE TABLE nodes (
  address text PRIMARY KEY,
  cores int NOT NULL,
  memory_mb int NOT NULL,
  executors text[] NOT NULL,
  concurrency int NOT NULL,
  version text,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  batch_id text,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_pending ON outbox (status, kind, id);
CREATE TABLE chain_batches (
  batch_id text PRIMARY KEY,
  kind text NOT NULL,
  status text NOT NULL,
  tx_hash text,
  jobs_root text,
  calldata jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz
);
CREATE TABLE job_records (
  batch_id text NOT NULL,
  leaf text NOT NULL,
  task_id uuid NOT NULL,
  job_id uuid NOT NULL,
  worker text NOT NULL,
  result_hash text NOT NULL,
  verdict int NOT NULL,
  proof jsonb NOT NULL,
  PRIMARY KEY (batch_id, leaf)
);
CREATE INDEX job_records_task ON job_records (task_id);
CREATE INDEX job_records_worker ON job_records (worker);
CREATE TABLE chain_events (
  block_number bigint NOT NULL,
  log_index int NOT NULL,
  tx_hash text NOT NULL,
  contract text NOT NULL,
  event text NOT NULL,
  args jsonb NOT NULL,
  accounts text[] NOT NULL,
  block_time timestamptz,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX chain_events_accounts ON chain_events USING gin (accounts);
CREATE TABLE indexer_state (
  id int PRIMARY KEY,
  last_block bigint NOT NULL,
  last_block_hash text
)
`,
  `
CREATE TABLE profiles (
  address text PRIMARY KEY,
  public jsonb NOT NULL DEFAULT '{}',
  sensitive jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blocks (
  poster text NOT NULL,
  worker text NOT NULL,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (poster, worker)
)
`,
  `
-- Claims take open jobs in posting order; an index on that order lets a claim stop after LIMIT rows
-- instead of sorting every open job.
ALTER TABLE jobs ADD COLUMN seq bigserial;
CREATE INDEX jobs_open_seq ON jobs (seq) WHERE status = 'open'
`,
  `
-- Human work (manual tasks and polls): who may take a task, proofs and reviews of assignments, one vote
-- per person, invitations of randomly drawn respondents, and private blobs (proof photos).
ALTER TABLE tasks ADD COLUMN qualifications jsonb;
ALTER TABLE assignments ADD COLUMN answer jsonb;
ALTER TABLE assignments ADD COLUMN review_due_at timestamptz;
ALTER TABLE assignments ADD COLUMN reviewed_at timestamptz;
ALTER TABLE assignments ADD COLUMN review jsonb;
ALTER TABLE assignments ADD COLUMN paid_amount numeric(78,0);
ALTER TABLE assignments ADD COLUMN payment_state text;
ALTER TABLE assignments ADD COLUMN payment_tx text;
CREATE INDEX assignments_review_due ON assignments (review_due_at) WHERE status = 'submitted';
ALTER TABLE blobs ADD COLUMN private boolean NOT NULL DEFAULT false;
CREATE TABLE poll_votes (
  task_id uuid NOT NULL REFERENCES tasks (id),
  voter text NOT NULL,
  option int NOT NULL,
  gold int[] NOT NULL DEFAULT '{}',
  assignment_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (task_id, voter)
);
CREATE TABLE poll_invites (
  task_id uuid NOT NULL REFERENCES tasks (id),
  address text NOT NULL,
  PRIMARY KEY (task_id, address)
)
`,
  `
-- The relayer under attack and at scale: outbox rows are claimed by one server at a time ('staging',
-- claimed_by), a row that cannot be sent waits in 'quarantined' until next_attempt_at, and every batch a
-- row was staged in is kept, so a payment is confirmed only by a batch the chain anchored. Paid partial
-- amounts are kept per task so the server's view of escrow can be reconciled with the chain's.
ALTER TABLE outbox ADD COLUMN claimed_by text;
ALTER TABLE outbox ADD COLUMN claimed_at timestamptz;
ALTER TABLE outbox ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE outbox ADD COLUMN tried_batches text[] NOT NULL DEFAULT '{}';
CREATE INDEX outbox_task ON outbox ((payload->>'task_id'));
ALTER TABLE tasks ADD COLUMN escrow_paid numeric(78,0) NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD CONSTRAINT tasks_chain_task_id_lower CHECK (chain_task_id = lower(chain_task_id)) NOT VALID;
-- A job whose replicas agree that it errors (the same error code) is decided with that error.
ALTER TABLE jobs ADD COLUMN canonical_error text;
ALTER TABLE assignments ADD COLUMN error_code text
`,
  `
-- Blobs are collected when nothing references them: 'referenced' is set once something does (and then
-- they leave the uploader's quota), used_at when a posting checks one, and every place a blob hash is kept
-- has an index so that the check is a lookup.
ALTER TABLE blobs ADD COLUMN referenced boolean NOT NULL DEFAULT false;
ALTER TABLE blobs ADD COLUMN used_at timestamptz;
CREATE INDEX blobs_unreferenced ON blobs (uploader, created_at) WHERE NOT referenced;
CREATE INDEX tasks_input_blob ON tasks ((payload->>'input')) WHERE (payload->>'input') IS NOT NULL;
CREATE INDEX tasks_module_blob ON tasks ((payload->>'module')) WHERE (payload->>'module') IS NOT NULL;
CREATE INDEX tasks_scene_blob ON tasks ((payload->>'scene_file')) WHERE (payload->>'scene_file') IS NOT NULL;
CREATE INDEX tasks_output_blob ON tasks ((result->>'output_blob')) WHERE (result->>'output_blob') IS NOT NULL;
CREATE INDEX jobs_output_blob ON jobs (output_blob) WHERE output_blob IS NOT NULL;
CREATE INDEX assignments_output_blob ON assignments (output_blob) WHERE output_blob IS NOT NULL;
CREATE INDEX assignments_photo_blob ON assignments ((answer->'photo'->>'sha256')) WHERE (answer->'photo'->>'sha256') IS NOT NULL;
CREATE INDEX assignments_signature_blob ON assignments ((answer->'signature'->>'sha256')) WHERE (answer->'signature'->>'sha256') IS NOT NULL
`,
  `
-- Node request signatures are refused a second time by every server: one row per signer and digest of the
-- signed text, kept for twice the timestamp skew window. Expired sign-in nonces are purged by expiry.
CREATE TABLE node_request_replays (
  signer text NOT NULL,
  digest text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (signer, digest)
);
CREATE INDEX node_request_replays_expires ON node_request_replays (expires_at);
CREATE INDEX siwe_nonces_expires ON siwe_nonces (expires_at)
`,  `
-- A batch that could not be handed to the chain (gas estimate, send or receipt failed) waits with its reason
-- and backs off before it is sent again; resending the same batch id is idempotent on chain.
ALTER TABLE chain_batches ADD COLUMN attempts int NOT NULL DEFAULT 0;
ALTER TABLE chain_batches ADD COLUMN next_attempt_at timestamptz;
ALTER TABLE chain_batches ADD COLUMN last_error text
`,
  `
-- Leases one node may hold at once on a task (core's maxLeasesOnTask, set when the task is posted).
ALTER TABLE tasks ADD COLUMN lease_cap int;
UPDATE tasks SET lease_cap = greatest(16, ceil(jobs_total / 4.0));
ALTER TABLE tasks ALTER COLUMN lease_cap SET NOT NULL
`,
  `
-- Every status column holds only the statuses its lifecycle knows (core's lifecycle.ts; a test compares them).
ALTER TABLE tasks ADD CONSTRAINT tasks_status_known CHECK (status IN ('pending', 'in_progress', 'verifying', 'completed', 'failed', 'disputed'));
ALTER TABLE tasks ADD CONSTRAINT tasks_escrow_state_known CHECK (escrow_state IN ('awaiting', 'locked', 'rejected', 'released', 'refunded'));
ALTER TABLE jobs ADD CONSTRAINT jobs_status_known CHECK (status IN ('waiting', 'open', 'valid', 'error', 'cancelled'));
ALTER TABLE assignments ADD CONSTRAINT assignments_status_known
  CHECK (status IN ('leased', 'submitted', 'error', 'valid', 'invalid', 'rejected', 'disputed', 'expired', 'released', 'cancelled'));
ALTER TABLE outbox ADD CONSTRAINT outbox_status_known CHECK (status IN ('pending', 'staging', 'sent', 'confirmed', 'failed', 'quarantined'));
ALTER TABLE chain_batches ADD CONSTRAINT chain_batches_status_known CHECK (status IN ('sending', 'sent', 'confirmed', 'partial', 'reverted'))
`,
  `
-- The trust layer. A compute lease records the stake it puts at risk (core's admitLeases, from the node's
-- on-chain stake at claim time): the server holds no node to more work than its free stake covers, and a
-- lease that times out or whose result is outvoted is slashed by exactly that much, on chain in a settle
-- batch. Each slash is kept with the lease it punishes, so a node can see why.
ALTER TABLE assignments ADD COLUMN stake_at_risk numeric(78, 0);
CREATE TABLE node_slashes (
  assignment_id uuid PRIMARY KEY REFERENCES assignments (id),
  worker text NOT NULL,
  task_id uuid NOT NULL REFERENCES tasks (id),
  job_id uuid NOT NULL REFERENCES jobs (id),
  reason text NOT NULL CHECK (reason IN ('TaskTimeout', 'WrongResult')),
  amount numeric(78, 0) NOT NULL CHECK (amount > 0),
  reputation_bps int NOT NULL CHECK (reputation_bps BETWEEN 0 AND 10000),
  tx_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_slashes_worker ON node_slashes (worker, created_at)
`,
  `
-- Every reputation the market stored on chain for a node, when its settle batch was confirmed: the history
-- a node page charts.
CREATE TABLE node_reputations (
  id bigserial PRIMARY KEY,
  worker text NOT NULL,
  bps int NOT NULL CHECK (bps BETWEEN 0 AND 10000),
  tx_hash text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX node_reputations_worker ON node_reputations (worker, id)
`,
  `
-- What a node offers, for matching and quotes (seed 003): its resource type, region, price per unit of its
-- type's earnings model (base units), hardware, and the seconds it has been seen online since it first
-- registered (heartbeats and claim polls, at most a minute per sighting), from which its uptime follows.
ALTER TABLE nodes ADD COLUMN resource_type text NOT NULL DEFAULT 'cpu' CHECK (resource_type IN ('gpu', 'cpu', 'network', 'mobile', 'iot'));
ALTER TABLE nodes ADD COLUMN region text NOT NULL DEFAULT 'any';
ALTER TABLE nodes ADD COLUMN price_per_unit numeric(78, 0) NOT NULL DEFAULT 0 CHECK (price_per_unit >= 0);
ALTER TABLE nodes ADD COLUMN hardware jsonb NOT NULL DEFAULT '{}';
ALTER TABLE nodes ADD COLUMN online_seconds double precision NOT NULL DEFAULT 0
`,
  `
-- What a compute task asks of its nodes (resource type, regions, price cap, uptime), as posted and in columns
-- a claim filters on (core's requirementsOf; a test holds the claim to core's ineligibility): claims skip
-- tasks a node does not qualify for.
ALTER TABLE tasks ADD COLUMN requirements jsonb;
ALTER TABLE tasks ADD COLUMN req_resource_type text;
ALTER TABLE tasks ADD COLUMN req_regions text[];
ALTER TABLE tasks ADD COLUMN req_max_price numeric(78, 0);
ALTER TABLE tasks ADD COLUMN req_min_uptime_bps int
`,
  `
-- Adaptive replication (BOINC): each node's run of valid results on replicated jobs, per task kind, which a
-- valid replicated result extends and an outvoted result or a lapsed lease resets (core's nextAdaptiveState);
-- and each compute job's plan, chosen when its first lease is issued (core's planJob).
CREATE TABLE node_runs (
  worker text NOT NULL,
  kind text NOT NULL,
  consecutive_valid int NOT NULL DEFAULT 0 CHECK (consecutive_valid >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (worker, kind)
);
ALTER TABLE jobs ADD COLUMN plan text CHECK (plan IN ('replicated', 'unreplicated', 'checked'))
`,
  `
-- The verified power (NodeRegistry's, from proof-of-work solve times) a compute task asks of its nodes.
ALTER TABLE tasks ADD COLUMN req_min_verified_power numeric(78, 0)
`,
  `
-- Seed 003's "repeated failures (>20%): review": a node whose failed results pass the limit takes no work
-- until the operator clears it. Clearing keeps its record at that moment as the baseline the next review
-- counts from, so an old failure is not judged twice.
CREATE TABLE node_reviews (
  worker text PRIMARY KEY,
  opened_at timestamptz NOT NULL,
  failures int NOT NULL,
  results int NOT NULL,
  cleared_at timestamptz,
  cleared_by text,
  baseline_valid int NOT NULL DEFAULT 0,
  baseline_invalid int NOT NULL DEFAULT 0,
  baseline_timeouts int NOT NULL DEFAULT 0
)
`,
  `
-- Work offered in rank order: when a compute task's jobs open, the best-ranked online nodes (seed 003's score,
-- enough of them to take every job at once) have it to themselves until offer_until; then any node may.
ALTER TABLE tasks ADD COLUMN offered_to text[];
ALTER TABLE tasks ADD COLUMN offer_until timestamptz
`,
  `
-- A node's stake on chain when it last asked for work, so a task can say when no online node stakes enough
-- to take one of its leases.
ALTER TABLE nodes ADD COLUMN stake numeric(78, 0)
`,
  `
-- Seed 003's "misuse: −50% stake + ban", ruled in a dispute, is kept with the assignment it punished.
ALTER TABLE node_slashes DROP CONSTRAINT node_slashes_reason_check;
ALTER TABLE node_slashes ADD CONSTRAINT node_slashes_reason_check CHECK (reason IN ('TaskTimeout', 'WrongResult', 'Misuse'))
`,
  `
-- Every compute job is planned by the full rules, or 'posted' (decided at its task's quorum) where too few
-- proven nodes are online to anchor them (core's planJob); and it holds at most max_unproven replicas of nodes
-- not proven on its kind (core's newcomerPlaces; null: no limit). A job planned before this keeps its rules.
ALTER TABLE jobs DROP CONSTRAINT jobs_plan_check;
UPDATE jobs SET plan = 'posted' WHERE plan = 'replicated';
ALTER TABLE jobs ADD CONSTRAINT jobs_plan_check CHECK (plan IN ('replicated', 'unreplicated', 'checked', 'posted'));
ALTER TABLE jobs ADD COLUMN max_unproven int CHECK (max_unproven >= 0);
UPDATE jobs SET max_unproven = 0 WHERE plan = 'checked';
-- The operator may vouch for a node on a kind (its own machines, to anchor a new market): its run starts at
-- the proven mark, and who vouched and when is kept with it.
ALTER TABLE node_runs ADD COLUMN vouched_by text;
ALTER TABLE node_runs ADD COLUMN vouched_at timestamptz
`,
]
