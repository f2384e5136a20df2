//! `[cost]`: where the Cost and Usage Report is, its layout, budgets and cost accounts.

use std::collections::BTreeSet;

use super::{Loader, Setting, quoted};

/// `[cost]` settings: the Cost and Usage Report, read through Athena.
#[derive(Debug, Clone)]
pub struct CostConfig {
    /// `cost.database`: the Glue database of the CUR table; empty turns the cost collector off.
    pub database: String,
    /// `cost.table`: the CUR table.
    pub table: String,
    /// `cost.workgroup`: the Athena work group the aggregation queries run in.
    pub workgroup: String,
    /// `cost.output_location`: where Athena writes results (`s3://…`); empty uses the work group's setting.
    pub output_location: Option<String>,
    /// `cost.layout`: which CUR the table holds.
    pub layout: CurLayout,
    /// `cost.account`: the `aws.accounts` entry whose Athena and Glue hold the CUR (the payer account); empty:
    /// the first.
    pub account: String,
    /// `cost.top_resources`: resources kept per day and service; the rest are summed as `other`.
    pub top_resources: u32,
    /// `cost.query_timeout_secs`: an aggregation query running longer is stopped.
    pub query_timeout_secs: u32,
    /// `cost.accounts`: names and owning teams of AWS account ids, for `dim_account`.
    pub accounts: Vec<CostAccount>,
    /// `cost.display_currency`: the currency the answers show money in (an ISO 4217 code such as `KRW`); `None`:
    /// the report's own. Set with [`CostConfig::exchange_rate`]; a report already in it is shown as it is.
    pub display_currency: Option<String>,
    /// `cost.exchange_rate`: units of `display_currency` per one unit of the report's currency (`1380.0` KRW per
    /// USD). The Cost and Usage Report carries no rate Doberman could use, so it is configured; `0` (the default)
    /// is none.
    pub exchange_rate: Option<f64>,
}

/// Which Cost and Usage Report layout a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurLayout {
    /// Read the table's columns from Glue and decide.
    Auto,
    /// Legacy CUR: `year`/`month` partitions, `line_item_*` and `product_*` columns.
    Legacy,
    /// CUR 2.0 (Data Exports): `billing_period` partition, `product` as a map.
    Cur2,
}

/// An AWS account id with the name and team people know it by (an entry of `cost.accounts`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostAccount {
    /// The 12-digit account id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The team or division that owns it.
    #[serde(default)]
    pub team: Option<String>,
}

impl Setting for CurLayout {
    fn expected() -> String {
        "`auto`, `legacy` or `cur2`".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(CurLayout::Auto),
            "legacy" => Ok(CurLayout::Legacy),
            "cur2" => Ok(CurLayout::Cur2),
            _ => Err(String::new()),
        }
    }
    fn show(&self) -> String {
        quoted(match self {
            CurLayout::Auto => "auto",
            CurLayout::Legacy => "legacy",
            CurLayout::Cur2 => "cur2",
        })
    }
}

/// `cost.accounts`: an array of tables in TOML, a JSON array of objects in the environment.
impl Setting for Vec<CostAccount> {
    fn expected() -> String {
        "a list of {id, name, team (optional)} (a JSON array in the environment)".into()
    }
    fn from_env(raw: &str) -> Result<Self, String> {
        if raw.trim().is_empty() {
            return Ok(Vec::new());
        }
        let accounts: Vec<CostAccount> =
            serde_json::from_str(raw).map_err(|e| format!("expected {}: {e}", Self::expected()))?;
        check_cost_accounts(&accounts).map(|()| accounts)
    }
    fn from_toml(raw: &toml::Value) -> Result<Self, String> {
        let accounts: Vec<CostAccount> = raw.clone().try_into().map_err(|e: toml::de::Error| {
            format!("expected {}: {}", Self::expected(), e.message())
        })?;
        check_cost_accounts(&accounts).map(|()| accounts)
    }
    fn show(&self) -> String {
        let items: Vec<String> = self
            .iter()
            .map(|a| {
                let team = a
                    .team
                    .as_deref()
                    .map(|t| format!(", team = {}", quoted(t)))
                    .unwrap_or_default();
                format!(
                    "{{ id = {}, name = {}{team} }}",
                    quoted(&a.id),
                    quoted(&a.name)
                )
            })
            .collect();
        format!("[{}]", items.join(", "))
    }
}

pub(super) fn check_cost_accounts(accounts: &[CostAccount]) -> Result<(), String> {
    let mut ids = BTreeSet::new();
    for a in accounts {
        if a.id.len() != 12 || !a.id.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("`{}` is not a 12-digit AWS account id", a.id));
        }
        if a.name.trim().is_empty() {
            return Err(format!("account {} needs a name", a.id));
        }
        if !ids.insert(a.id.as_str()) {
            return Err(format!("account {} appears twice", a.id));
        }
    }
    Ok(())
}

pub(super) fn load_cost(l: &mut Loader) -> CostConfig {
    let identifier = |what: &'static str| {
        move |v: &String| {
            if v.is_empty()
                || (v.len() <= 255 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                Ok(())
            } else {
                Err(format!(
                    "expected a {what} name of letters, digits and `_` (it goes into Athena SQL)"
                ))
            }
        }
    };
    let database: String = l.get("cost.database", String::new(), identifier("Glue database"));
    let table: String = l.get("cost.table", String::new(), identifier("Glue table"));
    if !database.is_empty() && table.is_empty() {
        l.problem("cost.table", "required when cost.database is set");
    }
    let (display_currency, exchange_rate) = load_display(l);
    CostConfig {
        database,
        table,
        workgroup: l.get("cost.workgroup", "primary".to_owned(), |g: &String| {
            if !g.is_empty()
                && g.len() <= 128
                && g.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            {
                Ok(())
            } else {
                Err("expected an Athena work group name ([A-Za-z0-9._-], 1 to 128)".into())
            }
        }),
        output_location: l.get("cost.output_location", None, |o: &Option<String>| match o {
            Some(o) if !o.starts_with("s3://") => Err("expected an s3:// URL".into()),
            _ => Ok(()),
        }),
        layout: l.get("cost.layout", CurLayout::Auto, |_| Ok(())),
        account: l.get("cost.account", String::new(), |_| Ok(())),
        top_resources: l.get("cost.top_resources", 10, |n| {
            if (1..=1000).contains(n) {
                Ok(())
            } else {
                Err("expected a whole number from 1 to 1000".into())
            }
        }),
        query_timeout_secs: l.get("cost.query_timeout_secs", 600, |n| {
            if (10..=3600).contains(n) {
                Ok(())
            } else {
                Err("expected seconds from 10 to 3600".into())
            }
        }),
        accounts: l.get("cost.accounts", Vec::new(), |_| Ok(())),
        display_currency,
        exchange_rate,
    }
}

/// `cost.display_currency` and `cost.exchange_rate`: both or neither, a currency code and a positive rate.
fn load_display(l: &mut Loader) -> (Option<String>, Option<f64>) {
    let currency: String = l.get("cost.display_currency", String::new(), |c: &String| {
        if c.is_empty() || (c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase())) {
            Ok(())
        } else {
            Err("expected a three-letter ISO 4217 code in capitals, such as KRW or USD".into())
        }
    });
    let rate: f64 = l.get("cost.exchange_rate", 0.0, |r: &f64| {
        if r.is_finite() && *r >= 0.0 {
            Ok(())
        } else {
            Err("expected a positive number: units of cost.display_currency per one unit of the report's \
                 currency"
                .into())
        }
    });
    let currency = (!currency.is_empty()).then_some(currency);
    let rate = (rate > 0.0).then_some(rate);
    match (&currency, rate) {
        (Some(c), None) => l.problem(
            "cost.exchange_rate",
            format!(
                "required when cost.display_currency is set: how many {c} one unit of the report's currency is \
                 (e.g. 1380.0 KRW per USD)"
            ),
        ),
        (None, Some(_)) => l.problem(
            "cost.display_currency",
            "required when cost.exchange_rate is set (or set the rate to 0)",
        ),
        _ => {}
    }
    (currency, rate)
}

#[cfg(test)]
mod tests {
    use super::super::Config;

    fn load(vars: &[(&str, &str)]) -> Result<Config, String> {
        let env = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned()));
        Config::load_from(None, env).map_err(|e| e.to_string())
    }

    #[test]
    fn a_display_currency_comes_with_a_positive_rate() {
        let config = load(&[
            ("DOBERMAN_COST__DISPLAY_CURRENCY", "KRW"),
            ("DOBERMAN_COST__EXCHANGE_RATE", "1380"),
        ])
        .expect("valid");
        assert_eq!(config.cost.display_currency.as_deref(), Some("KRW"));
        assert_eq!(config.cost.exchange_rate, Some(1380.0));

        let none = load(&[]).expect("valid");
        assert_eq!(
            (none.cost.display_currency, none.cost.exchange_rate),
            (None, None),
            "neither by default"
        );

        let cases = [
            (
                vec![("DOBERMAN_COST__DISPLAY_CURRENCY", "KRW")],
                "cost.exchange_rate",
                "a currency without a rate",
            ),
            (
                vec![("DOBERMAN_COST__EXCHANGE_RATE", "1380")],
                "cost.display_currency",
                "a rate without a currency",
            ),
            (
                vec![
                    ("DOBERMAN_COST__DISPLAY_CURRENCY", "KRW"),
                    ("DOBERMAN_COST__EXCHANGE_RATE", "-2"),
                ],
                "cost.exchange_rate",
                "a negative rate",
            ),
            (
                vec![
                    ("DOBERMAN_COST__DISPLAY_CURRENCY", "won"),
                    ("DOBERMAN_COST__EXCHANGE_RATE", "1380"),
                ],
                "cost.display_currency",
                "not a currency code",
            ),
        ];
        for (vars, key, case) in cases {
            let e = load(&vars).expect_err(case);
            assert!(e.contains(key), "{case}: {e}");
        }
    }
}
