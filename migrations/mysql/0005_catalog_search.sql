-- Catalog search: the words of every table's names, column names and comments, so `catalog search` finds tables
-- by a word's prefix through an index instead of scanning every column of the catalog.

CREATE TABLE dim_search_term (
    term     VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
        COMMENT 'A lower-cased word (a Korean word also by each of its endings, so compounds match by their parts)',
    table_id BIGINT      NOT NULL
        COMMENT 'dim_table.id',
    weight   TINYINT     NOT NULL
        COMMENT 'Where the word is: 3 database or table name, 2 column name, 1 description or comment',
    PRIMARY KEY (term, table_id, weight),
    KEY ix_dim_search_term_table (table_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci
  COMMENT = 'Search words of each Glue table, rewritten when its names or comments change';

ALTER TABLE dim_table
    ADD COLUMN search_hash VARCHAR(16) NULL
        COMMENT 'Hash of the words in dim_search_term for this table, to rewrite them only when they change',
    -- catalog db lists a database's tables by name in every account and region
    ADD KEY ix_dim_table_database (database_name, table_name),
    -- "data as of": the latest run that saw a table
    ADD KEY ix_dim_table_seen (last_seen_at);
