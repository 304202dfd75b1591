-- When the data was last built or imported (the "data as of" date).
SELECT CAST(value AS TIMESTAMP) AS derived_at FROM meta WHERE key = 'derived_at';
