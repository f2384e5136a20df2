-- Catalog search: the words of every table's names, column names and comments (documented in migrations/mysql).

CREATE TABLE dim_search_term (
    term TEXT NOT NULL,
    table_id INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (term, table_id, weight)
);
CREATE INDEX ix_dim_search_term_table ON dim_search_term (table_id);

ALTER TABLE dim_table ADD COLUMN search_hash TEXT NULL;
