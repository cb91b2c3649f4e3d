-- A cron tick that found another node's round running: that node starts the next round as soon as its round ends
-- (one catch-up, whichever node's tick was skipped). Cleared when a round starts.
ALTER TABLE cluster_rounds ADD COLUMN tick_missed BOOLEAN NOT NULL DEFAULT false;
