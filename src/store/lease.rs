//! `job_lease`: which replica runs a job. A claim is a single conditional `UPDATE`, so two replicas sharing a
//! database cannot both win it; it lapses at `expires_at` unless its holder renews it.

use chrono::{DateTime, Utc};

use super::{Pool, Store, StoreError, on_pool};

/// Who holds a job's lease, for `doberman jobs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The replica (host:pid:uuid).
    pub holder: String,
    /// When the claim lapses unless renewed.
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Claims `job` for `holder` until `expires_at`. Wins when nobody holds it, its holder's claim lapsed, or
    /// `holder` already holds it — and, for a scheduled run, when no replica has claimed this `tick` (or a
    /// later one) yet. Returns whether the claim was won.
    pub async fn claim_job(
        &self,
        job: &str,
        holder: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        tick: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let insert = match self.pool {
            Pool::MySql(_) => {
                "INSERT INTO job_lease (job, holder, expires_at, tick) VALUES (?, NULL, ?, NULL) \
                 ON DUPLICATE KEY UPDATE job = job"
            }
            Pool::Sqlite(_) => {
                "INSERT INTO job_lease (job, holder, expires_at, tick) VALUES (?, NULL, ?, NULL) \
                 ON CONFLICT (job) DO NOTHING"
            }
        };
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        on_pool!(self, pool => sqlx::query(insert).bind(job).bind(epoch).execute(pool).await.map(|_| ()))
            .map_err(StoreError::query("create a job lease"))?;
        let claimed = on_pool!(self, pool => sqlx::query(
            "UPDATE job_lease SET holder = ?, expires_at = ?, tick = COALESCE(?, tick) \
             WHERE job = ? AND (holder IS NULL OR holder = ? OR expires_at < ?) \
             AND (? IS NULL OR tick IS NULL OR tick < ?)",
        )
        .bind(holder)
        .bind(expires_at)
        .bind(tick)
        .bind(job)
        .bind(holder)
        .bind(now)
        .bind(tick)
        .bind(tick)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(StoreError::query("claim a job lease"))?;
        Ok(claimed == 1)
    }

    /// Extends `holder`'s claim on `job`; false when it no longer holds it (it lapsed and another took it).
    pub async fn renew_job(
        &self,
        job: &str,
        holder: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let done = on_pool!(self, pool => sqlx::query(
            "UPDATE job_lease SET expires_at = ? WHERE job = ? AND holder = ?",
        )
        .bind(expires_at)
        .bind(job)
        .bind(holder)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(StoreError::query("renew a job lease"))?;
        Ok(done == 1)
    }

    /// Gives up `holder`'s claim on `job` (no-op when it does not hold it).
    pub async fn release_job(
        &self,
        job: &str,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE job_lease SET holder = NULL, expires_at = ? WHERE job = ? AND holder = ?",
        )
        .bind(now)
        .bind(job)
        .bind(holder)
        .execute(pool)
        .await
        .map(|_| ()))
        .map_err(StoreError::query("release a job lease"))
    }

    /// Every process holding a lease now (lapsed ones included).
    pub async fn lease_holders(&self) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT holder FROM job_lease WHERE holder IS NOT NULL",
        )
        .fetch_all(pool)
        .await)
        .map_err(StoreError::query("read the job leases"))
    }

    /// Lets go of every lease `holder` holds (a process that is gone); how many.
    pub async fn release_leases_of(
        &self,
        holder: &str,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        on_pool!(self, pool => sqlx::query(
            "UPDATE job_lease SET holder = NULL, expires_at = ? WHERE holder = ?",
        )
        .bind(now)
        .bind(holder)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))
        .map_err(StoreError::query("release job leases"))
    }

    /// Who holds `job` now, if anyone.
    pub async fn job_holder(
        &self,
        job: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<LeaseHolder>, StoreError> {
        let row: Option<(String, DateTime<Utc>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT holder, expires_at FROM job_lease WHERE job = ? AND holder IS NOT NULL AND expires_at >= ?",
        )
        .bind(job)
        .bind(now)
        .fetch_optional(pool)
        .await)
        .map_err(StoreError::query("read a job lease"))?;
        Ok(row.map(|(holder, expires_at)| LeaseHolder { holder, expires_at }))
    }
}
