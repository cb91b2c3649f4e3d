-- The monitor's shared state in cluster mode.

-- The incident journal as a table: one row per incident key holding its newest journal line (an incident, or the
-- tombstone of a closed one), the same JSON the file journal holds. Every change takes a new seq from
-- incident_change under one cluster-wide lock, so a node catches up by reading the rows whose seq it has not seen.
CREATE SEQUENCE incident_change;

CREATE TABLE incident_journal
(
  incident_key TEXT   NOT NULL PRIMARY KEY,
  line         TEXT   NOT NULL,
  seq          BIGINT NOT NULL
);

CREATE INDEX incident_journal_seq ON incident_journal (seq);

-- A notice being sent: claimed per incident and channel before the send, released once the delivery is recorded.
-- A claim whose node stopped renewing it (the node died) can be taken over once expires_at has passed.
CREATE TABLE delivery_claims
(
  incident_key TEXT        NOT NULL,
  channel      TEXT        NOT NULL,
  node         TEXT        NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (incident_key, channel)
);

-- The cluster's rounds: who runs the current one and its database session (it holds an advisory lock for the
-- round, released at once when its node dies; the lease it renews while it runs tells a frozen node), and the last
-- round that ended, the last that succeeded, and what the next round needs to know of the monitor's problems.
CREATE TABLE cluster_rounds
(
  id                INT PRIMARY KEY CHECK (id = 1),
  running_node      TEXT,
  running_pid       INT,
  running_since     TIMESTAMPTZ,
  lease_until       TIMESTAMPTZ,
  last_round_node   TEXT,
  last_round_end    TIMESTAMPTZ,
  last_success_node TEXT,
  last_success_end  TIMESTAMPTZ,
  -- what the problem checks carry to the next round (JSON), and a counter of its versions
  problem_memory    TEXT,
  memory_seq        BIGINT NOT NULL DEFAULT 0
);

INSERT INTO cluster_rounds (id) VALUES (1);
