use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Bolivia keeps UTC−4 all year; report and filter dates are the store's local dates.
pub fn store_offset() -> FixedOffset {
    FixedOffset::west_opt(4 * 3600).expect("UTC-4 is a valid offset")
}

/// Where the core reads the time, so lockouts and dates can be tested without sleeping.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().expect("clock lock") += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().expect("clock lock")
    }
}

/// The stored form of an instant: RFC 3339, UTC, milliseconds.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The stored instant at which a local store date begins.
pub fn start_of_local_day(date: NaiveDate) -> String {
    let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    stamp(local.and_local_timezone(store_offset()).single().expect("fixed offset").with_timezone(&Utc))
}
