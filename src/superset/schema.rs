//! The columns of Doberman's MySQL tables, read from the migrations themselves, so datasets cannot drift from them.

use std::collections::BTreeMap;

use anyhow::Context;
use serde_json::{Value, json};
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, CommentDef, CreateTableOptions, SqlOption,
    Statement,
};
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::Parser;

use super::specs::DatasetSpec;

/// A column of a store table as the migrations leave it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaColumn {
    /// Column name.
    pub name: String,
    /// MySQL type as written, e.g. `DATETIME(6)`, `DECIMAL(20,6)`.
    pub data_type: String,
    /// The column's COMMENT.
    pub comment: Option<String>,
}

/// Every table the MySQL migrations create, with its columns in order and the table's COMMENT.
#[derive(Debug, Default)]
pub struct Schema {
    /// Table name → (comment, columns).
    pub tables: BTreeMap<String, (Option<String>, Vec<SchemaColumn>)>,
}

impl Schema {
    /// The schema the store's MySQL migrations build.
    pub fn from_migrations() -> anyhow::Result<Self> {
        let mut schema = Schema::default();
        for sql in crate::store::mysql_migration_sql() {
            schema.apply(sql)?;
        }
        Ok(schema)
    }

    fn apply(&mut self, sql: &str) -> anyhow::Result<()> {
        let statements = Parser::parse_sql(&MySqlDialect {}, sql)
            .context("Failed to parse a MySQL migration")?;
        let column = |c: &ColumnDef| SchemaColumn {
            name: c.name.value.clone(),
            data_type: c.data_type.to_string(),
            comment: c.options.iter().find_map(|o| match &o.option {
                ColumnOption::Comment(text) => Some(text.clone()),
                _ => None,
            }),
        };
        for statement in statements {
            match statement {
                Statement::CreateTable(create) => {
                    let comment = table_comment(&create.table_options);
                    self.tables.insert(
                        create.name.to_string(),
                        (comment, create.columns.iter().map(column).collect()),
                    );
                }
                Statement::AlterTable(alter) => {
                    let Some((_, columns)) = self.tables.get_mut(&alter.name.to_string()) else {
                        anyhow::bail!("a migration alters table {} before creating it", alter.name);
                    };
                    for op in &alter.operations {
                        match op {
                            AlterTableOperation::AddColumn { column_def, .. } => {
                                columns.push(column(column_def));
                            }
                            AlterTableOperation::DropColumn { column_names, .. } => {
                                columns.retain(|c| !column_names.iter().any(|n| n.value == c.name));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The columns of `table`.
    pub fn columns(&self, table: &str) -> Option<&[SchemaColumn]> {
        self.tables.get(table).map(|(_, c)| c.as_slice())
    }
}

/// The table's `COMMENT = '…'` among its options.
pub(super) fn table_comment(options: &CreateTableOptions) -> Option<String> {
    let options = match options {
        CreateTableOptions::None => return None,
        CreateTableOptions::With(o)
        | CreateTableOptions::Options(o)
        | CreateTableOptions::Plain(o)
        | CreateTableOptions::TableProperties(o) => o,
    };
    options.iter().find_map(|o| match o {
        SqlOption::Comment(CommentDef::WithEq(c) | CommentDef::WithoutEq(c)) => Some(c.clone()),
        _ => None,
    })
}

// ---------------------------------------------------------------------------------------------------------------
// The declarations: datasets, charts, dashboards.

/// The dataset's columns in Superset's terms, and the table's comment.
pub(super) fn dataset_columns_of(
    d: &DatasetSpec,
    schema: &Schema,
) -> anyhow::Result<(Option<String>, Vec<Value>)> {
    let column = |name: &str,
                  data_type: &str,
                  expression: Option<&str>,
                  description: Option<&str>,
                  time_column: Option<&str>| {
        let upper = data_type.to_ascii_uppercase();
        let temporal = upper.starts_with("DATE")
            || upper.starts_with("TIMESTAMP")
            || time_column == Some(name);
        json!({
            "column_name": name,
            "verbose_name": label_of(name),
            "is_dttm": temporal,
            "is_active": true,
            "type": upper,
            "advanced_data_type": null,
            "groupby": true,
            "filterable": true,
            "expression": expression,
            "description": description,
            "python_date_format": null,
            "extra": {},
        })
    };
    let mut out = Vec::new();
    let mut comment = None;
    if d.sql.is_none() {
        let (table_comment, columns) = schema
            .tables
            .get(d.name)
            .with_context(|| format!("dataset {} names a table the migrations lack", d.name))?;
        comment.clone_from(table_comment);
        for c in columns {
            out.push(column(
                &c.name,
                &c.data_type,
                None,
                c.comment.as_deref(),
                d.time_column,
            ));
        }
    }
    for c in d.columns {
        out.push(column(
            c.name,
            c.data_type,
            c.expression,
            Some(c.description),
            d.time_column,
        ));
    }
    if let Some(time) = d.time_column {
        anyhow::ensure!(
            out.iter().any(|c| c["column_name"] == time),
            "dataset {}: time column {time} is not among its columns",
            d.name
        );
    }
    Ok((comment, out))
}

/// The label tables and legends show for a column: `database_name` → `Database name`.
pub(super) fn label_of(column: &str) -> String {
    let words = column.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
