//! Cost figures over the stored facts, for the `cost` command and the cost alerts: month to date against the same
//! days of last month, last month's total, a projection for the month, top services and accounts, the biggest
//! movers and a daily anomaly score. Pure arithmetic over [`DailyCost`] rows; [`load`] reads them.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

use crate::store::{DailyCost, Store, StoreError};

/// How many services, accounts and movers the figures list.
pub const TOP: usize = 5;
/// Days the projection's run rate is taken over.
pub const RUN_RATE_DAYS: i64 = 7;
/// Days the anomaly score compares with.
pub const ANOMALY_DAYS: i64 = 14;

/// A service or account whose cost moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Mover {
    /// Service code, or account name (id when unnamed).
    pub name: String,
    /// Cost in the earlier period.
    pub before: f64,
    /// Cost in the later period.
    pub after: f64,
    /// `after - before`.
    pub change: f64,
    /// The change in percent of `before`; `None` when `before` is 0.
    pub change_pct: Option<f64>,
}

/// How unusual a day's total is against the days before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    /// The day.
    pub day: NaiveDate,
    /// Its total.
    pub total: f64,
    /// Mean of the previous [`ANOMALY_DAYS`] days.
    pub mean: f64,
    /// Their standard deviation (population).
    pub stddev: f64,
    /// `(total - mean) / stddev`; 0 when the spread is 0 and the total is the mean.
    pub score: f64,
}

/// The cost picture as of the latest day with data (amortized cost, the report's currency).
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// The latest day with data (the CUR lags by a day or so).
    pub as_of: NaiveDate,
    /// This month, day 1 through `as_of`.
    pub month_to_date: f64,
    /// Last month, the same days (clamped to its length).
    pub same_days_last_month: f64,
    /// All of last month.
    pub last_month_total: f64,
    /// Month to date plus the mean of the last [`RUN_RATE_DAYS`] days times the days left.
    pub projection: f64,
    /// Services by month-to-date cost, most first.
    pub top_services: Vec<(String, f64)>,
    /// Accounts (name, or id) by month-to-date cost, most first.
    pub top_accounts: Vec<(String, f64)>,
    /// Services whose cost changed most from the day before `as_of` to `as_of`.
    pub movers_day: Vec<Mover>,
    /// Services whose month to date changed most against the same days of last month.
    pub movers_month: Vec<Mover>,
    /// `as_of` against the [`ANOMALY_DAYS`] days before it, when there are such days.
    pub anomaly: Option<Anomaly>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

fn days_in_month(d: NaiveDate) -> u32 {
    let first = month_start(d);
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .expect("a valid next month");
    (next - first).num_days() as u32
}

fn sum_where(costs: &[DailyCost], keep: impl Fn(&DailyCost) -> bool) -> f64 {
    costs.iter().filter(|c| keep(c)).map(|c| c.amortized).sum()
}

fn ranked(map: BTreeMap<String, f64>) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(TOP);
    v
}

/// The [`TOP`] biggest changes from `before` to `after`, by absolute amount (a name missing on one side is 0).
pub fn movers(before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>) -> Vec<Mover> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let mut v: Vec<Mover> = names
        .into_iter()
        .map(|name| {
            let (b, a) = (
                before.get(name).copied().unwrap_or(0.0),
                after.get(name).copied().unwrap_or(0.0),
            );
            Mover {
                name: name.clone(),
                before: b,
                after: a,
                change: a - b,
                change_pct: (b != 0.0).then(|| (a - b) / b * 100.0),
            }
        })
        .filter(|m| m.change.abs() >= 0.005)
        .collect();
    v.sort_by(|x, y| {
        y.change
            .abs()
            .total_cmp(&x.change.abs())
            .then_with(|| x.name.cmp(&y.name))
    });
    v.truncate(TOP);
    v
}

fn by_service(costs: &[DailyCost], keep: impl Fn(&DailyCost) -> bool) -> BTreeMap<String, f64> {
    let mut map = BTreeMap::new();
    for c in costs.iter().filter(|c| keep(c)) {
        *map.entry(c.service.clone()).or_insert(0.0) += c.amortized;
    }
    map
}

/// The figures as of `as_of` from `costs` (which should cover last month's first day through `as_of`, and the
/// [`ANOMALY_DAYS`] days before `as_of`).
pub fn figures(costs: &[DailyCost], as_of: NaiveDate) -> Figures {
    let this_month = month_start(as_of);
    let last_month = month_start(this_month - Duration::days(1));
    let last_month_end = this_month - Duration::days(1);
    let same_day_last_month = last_month
        .with_day(as_of.day().min(days_in_month(last_month)))
        .expect("a day within last month");
    let in_mtd = |c: &DailyCost| c.date >= this_month && c.date <= as_of;
    let in_same_days = |c: &DailyCost| c.date >= last_month && c.date <= same_day_last_month;
    let month_to_date = sum_where(costs, in_mtd);
    let rate_from = as_of - Duration::days(RUN_RATE_DAYS - 1);
    let rate = sum_where(costs, |c| c.date >= rate_from && c.date <= as_of) / RUN_RATE_DAYS as f64;
    let days_left = f64::from(days_in_month(as_of) - as_of.day());
    let mut accounts = BTreeMap::new();
    for c in costs.iter().filter(|c| in_mtd(c)) {
        let name = c
            .account_name
            .clone()
            .unwrap_or_else(|| c.account_id.clone());
        *accounts.entry(name).or_insert(0.0) += c.amortized;
    }
    let day_before = as_of - Duration::days(1);
    let anomaly_from = as_of - Duration::days(ANOMALY_DAYS);
    let mut daily_totals: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for c in costs
        .iter()
        .filter(|c| c.date >= anomaly_from && c.date < as_of)
    {
        *daily_totals.entry(c.date).or_insert(0.0) += c.amortized;
    }
    // Days without rows cost nothing: they count as zeros, not as missing.
    let history: Vec<f64> = (0..ANOMALY_DAYS)
        .map(|i| {
            daily_totals
                .get(&(anomaly_from + Duration::days(i)))
                .copied()
                .unwrap_or(0.0)
        })
        .collect();
    let anomaly = (!daily_totals.is_empty()).then(|| {
        let total = sum_where(costs, |c| c.date == as_of);
        let mean = history.iter().sum::<f64>() / history.len() as f64;
        let stddev =
            (history.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / history.len() as f64).sqrt();
        let score = if stddev > 1e-9 {
            (total - mean) / stddev
        } else if (total - mean).abs() < 0.005 {
            0.0
        } else {
            f64::INFINITY.copysign(total - mean)
        };
        Anomaly {
            day: as_of,
            total,
            mean,
            stddev,
            score,
        }
    });
    Figures {
        as_of,
        month_to_date,
        same_days_last_month: sum_where(costs, in_same_days),
        last_month_total: sum_where(costs, |c| c.date >= last_month && c.date <= last_month_end),
        projection: month_to_date + rate * days_left,
        top_services: ranked(by_service(costs, in_mtd)),
        top_accounts: ranked(accounts),
        movers_day: movers(
            &by_service(costs, |c| c.date == day_before),
            &by_service(costs, |c| c.date == as_of),
        ),
        movers_month: movers(&by_service(costs, in_same_days), &by_service(costs, in_mtd)),
        anomaly,
    }
}

/// Reads what [`figures`] needs and computes them as of the latest day with data up to `today`; `None` when
/// there is no cost data in the window.
pub async fn load(
    store: &Store,
    today: NaiveDate,
    currency: &str,
) -> Result<Option<Figures>, StoreError> {
    let last_month = month_start(month_start(today) - Duration::days(1));
    let from = last_month.min(today - Duration::days(ANOMALY_DAYS + 1));
    let costs = store.daily_costs(from, today, currency).await?;
    let Some(as_of) = costs.iter().map(|c| c.date).max() else {
        return Ok(None);
    };
    Ok(Some(figures(&costs, as_of)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn cost(date: NaiveDate, account: &str, service: &str, amortized: f64) -> DailyCost {
        DailyCost {
            date,
            account_id: account.into(),
            account_name: (account == "111").then(|| "data-platform".to_owned()),
            team: None,
            service: service.into(),
            amortized,
            unblended: amortized,
        }
    }

    /// October: EC2 10/day and S3 2/day; November through the 25th: EC2 12/day, S3 2/day, Athena from the 20th
    /// at 1/day, and a spike of EC2 on the 25th (+30).
    fn series() -> Vec<DailyCost> {
        let mut v = Vec::new();
        for day in 1..=31 {
            v.push(cost(d(2026, 10, day), "111", "AmazonEC2", 10.0));
            v.push(cost(d(2026, 10, day), "222", "AmazonS3", 2.0));
        }
        for day in 1..=25 {
            let ec2 = if day == 25 { 42.0 } else { 12.0 };
            v.push(cost(d(2026, 11, day), "111", "AmazonEC2", ec2));
            v.push(cost(d(2026, 11, day), "222", "AmazonS3", 2.0));
            if day >= 20 {
                v.push(cost(d(2026, 11, day), "222", "AmazonAthena", 1.0));
            }
        }
        v
    }

    #[test]
    fn month_to_date_is_compared_with_the_same_days_of_last_month() {
        let f = figures(&series(), d(2026, 11, 25));
        assert!((f.month_to_date - (24.0 * 12.0 + 42.0 + 25.0 * 2.0 + 6.0)).abs() < 1e-9);
        assert!((f.same_days_last_month - 25.0 * 12.0).abs() < 1e-9);
        assert!((f.last_month_total - 31.0 * 12.0).abs() < 1e-9);
    }

    #[test]
    fn the_projection_runs_the_last_seven_days_to_the_end_of_the_month() {
        let f = figures(&series(), d(2026, 11, 25));
        let last7 = 6.0 * 12.0 + 42.0 + 7.0 * 2.0 + 6.0;
        assert!(
            (f.projection - (f.month_to_date + last7 / 7.0 * 5.0)).abs() < 1e-9,
            "{}",
            f.projection
        );
    }

    #[test]
    fn top_lists_and_movers_rank_by_size() {
        let f = figures(&series(), d(2026, 11, 25));
        assert_eq!(f.top_services[0].0, "AmazonEC2");
        assert_eq!(
            f.top_accounts[0].0, "data-platform",
            "named accounts by name"
        );
        assert_eq!(f.top_accounts[1].0, "222", "unnamed ones by id");
        assert_eq!(f.movers_day[0].name, "AmazonEC2");
        assert!((f.movers_day[0].change - 30.0).abs() < 1e-9);
        assert_eq!(f.movers_day[0].change_pct.map(|p| p.round()), Some(250.0));
        let athena = f
            .movers_month
            .iter()
            .find(|m| m.name == "AmazonAthena")
            .expect("a new service moves");
        assert_eq!(
            (athena.before, athena.change_pct),
            (0.0, None),
            "no percentage from zero"
        );
    }

    #[test]
    fn a_spike_has_a_high_anomaly_score_and_a_steady_day_none() {
        let spike = figures(&series(), d(2026, 11, 25))
            .anomaly
            .expect("history exists");
        assert!(spike.score > 3.0, "{spike:?}");
        let steady = figures(&series(), d(2026, 11, 10))
            .anomaly
            .expect("history exists");
        assert!(steady.score.abs() < 1.0, "{steady:?}");
    }

    #[test]
    fn short_months_clamp_the_same_day() {
        let v = vec![
            cost(d(2027, 2, 28), "1", "S", 5.0),
            cost(d(2027, 3, 31), "1", "S", 7.0),
        ];
        let f = figures(&v, d(2027, 3, 31));
        assert!(
            (f.same_days_last_month - 5.0).abs() < 1e-9,
            "March 31st compares with all of February"
        );
        assert_eq!(days_in_month(d(2028, 2, 1)), 29);
    }
}
