-- The ad-hoc silences (java -jar phrase-tm-monitor.jar silence add/list/expire), shared by every node: one row per
-- silence holding its JSON, the same as a line of the single process's silences.journal. Expiring one rewrites its row.
CREATE TABLE silences
(
  id   TEXT NOT NULL PRIMARY KEY,
  line TEXT NOT NULL
);
