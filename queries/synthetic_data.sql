-- Whether the database holds a synthetic portfolio (python -m mekong synth): every page
-- then says that it is not real data. No parameters.
SELECT count(*) > 0 AS synthetic FROM document WHERE kind = 'synthetic';
