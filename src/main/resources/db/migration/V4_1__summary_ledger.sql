-- The summaries' ledger (summary/PostgresSummaryLedger): a round's checks by outcome, incidents detected and ended,
-- the end of each summary period and what each channel took, one JSON line each; pruned past the last summary sent.
CREATE TABLE summary_ledger (
    id   BIGSERIAL PRIMARY KEY,
    line TEXT NOT NULL
);
