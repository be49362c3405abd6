//! What every list query shares: a filter built from fixed column conditions and bound
//! values, 1-based pages counted with the filter, and keyset pages. Column names and
//! conditions are `&'static str` written in the store modules; values are always bound.

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::domain::Page;

/// `WHERE` conditions, each a fixed SQL text with `?` placeholders, and their values.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    clauses: Vec<&'static str>,
    args: Vec<Value>,
}

impl Filter {
    /// Adds a condition with one placeholder per value, in order.
    pub fn and(&mut self, condition: &'static str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.clauses.push(condition);
        self.args.extend(values);
        debug_assert_eq!(self.args.len(), self.clauses.iter().map(|c| c.matches('?').count()).sum::<usize>());
        self
    }

    /// Adds `condition` with one value when there is a value.
    pub fn and_some(&mut self, condition: &'static str, value: Option<impl Into<Value>>) -> &mut Self {
        if let Some(value) = value {
            self.and(condition, [value.into()]);
        }
        self
    }

    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// A validated page request: `number` counts from 1; `size` rows per page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub number: i64,
    pub size: i64,
}

impl Paging {
    /// Rows skipped before this page; a page past the end (even i64::MAX) is empty, not an overflow.
    pub fn offset(self) -> i64 {
        (self.number - 1).saturating_mul(self.size)
    }
}

/// A table (or join) and the columns a row mapper reads from it.
pub struct Listing<T> {
    pub from: &'static str,
    pub columns: &'static str,
    /// `ORDER BY` of the list, newest first.
    pub order: &'static str,
    pub row: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
}

/// How many rows of `from` match the filter.
pub fn count(conn: &Connection, from: &str, filter: &Filter) -> rusqlite::Result<i64> {
    conn.prepare_cached(&format!("SELECT COUNT(*) FROM {from} {}", filter.where_sql()))?
        .query_row(rusqlite::params_from_iter(filter.args.iter()), |r| r.get(0))
}

/// One page of the listing under the filter, with the filter's total (counted here unless
/// the caller already knows it).
pub fn page<T>(
    conn: &Connection,
    listing: &Listing<T>,
    filter: &Filter,
    paging: Paging,
    known_total: Option<i64>,
) -> rusqlite::Result<Page<T>> {
    let total = match known_total {
        Some(total) => total,
        None => count(conn, listing.from, filter)?,
    };
    let items = rows(conn, listing, filter, paging.size, paging.offset())?;
    Ok(Page { items, page: paging.number, size: paging.size, total })
}

fn rows<T>(conn: &Connection, listing: &Listing<T>, filter: &Filter, limit: i64, offset: i64) -> rusqlite::Result<Vec<T>> {
    let mut args = filter.args.clone();
    args.push(limit.into());
    args.push(offset.into());
    let sql = format!(
        "SELECT {} FROM {} {} ORDER BY {} LIMIT ? OFFSET ?",
        listing.columns,
        listing.from,
        filter.where_sql(),
        listing.order
    );
    conn.prepare_cached(&sql)?.query_map(rusqlite::params_from_iter(args.iter()), listing.row)?.collect()
}

/// Where a keyset page starts: right after the row (`time`, `id`) of the previous page,
/// in the listing's (time DESC, id DESC) order.
pub struct After {
    pub time: String,
    pub id: i64,
}

/// A keyset page: the rows after `after` in (`time_column` DESC, id DESC) order, found
/// through the index instead of skipping rows with OFFSET. `end` is the filter's exclusive
/// upper bound on the time column, kept out of `filter` so that only the tighter of the
/// two upper bounds goes in the query: SQLite starts the index range from one of them and
/// only filters with the other. The total is the whole filter's.
#[allow(clippy::too_many_arguments)]
pub fn keyset_page<T>(
    conn: &Connection,
    listing: &Listing<T>,
    filter: &Filter,
    before_end: &'static str,
    at_or_before: &'static str,
    after_row: &'static str,
    end: Option<String>,
    after: After,
    paging: Paging,
    known_total: Option<i64>,
) -> rusqlite::Result<Page<T>> {
    let total = match known_total {
        Some(total) => total,
        None => {
            let mut whole = filter.clone();
            whole.and_some(before_end, end.clone());
            count(conn, listing.from, &whole)?
        }
    };
    let mut page_filter = filter.clone();
    match end {
        Some(end) if end <= after.time => page_filter.and(before_end, [end.into()]),
        _ => page_filter.and(at_or_before, [after.time.clone().into()]),
    };
    page_filter.and(after_row, [after.time.into(), after.id.into()]);
    let items = rows(conn, listing, &page_filter, paging.size, 0)?;
    Ok(Page { items, page: paging.number, size: paging.size, total })
}
