-- Catalog search: the words of every table's names, column names and comments (documented in migrations/mysql).

CREATE TABLE dim_search_term (
    term TEXT NOT NULL,
    table_id INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (term, table_id, weight)
);
CREATE INDEX ix_dim_search_term_table ON dim_search_term (table_id);

ALTER TABLE dim_table ADD COLUMN search_hash TEXT NULL;
CREATE INDEX ix_dim_table_database ON dim_table (database_name, table_name);
CREATE INDEX ix_dim_table_seen ON dim_table (last_seen_at);
