//! Wall-clock times that a time zone skips or gives twice on the nights its offset changes.
//! The programme is written in wall-clock time; these are the times that name no instant, or
//! two.

use chrono::{Duration, FixedOffset, LocalResult, NaiveDateTime, NaiveTime, Offset, TimeZone};
use chrono_tz::Tz;

/// How far on either side of a skipped time the times that exist are looked for: the longest
/// skip in the tz database is a whole day (Samoa, 30 December 2011).
const SEARCH: Duration = Duration::hours(26);

/// What a wall-clock time is in a zone.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum WallTime {
    /// It names one instant.
    Once,
    /// The clocks skip it: they go from `from` straight to `to` (02:00 to 03:00).
    Skipped {
        /// The first time that does not exist.
        from: NaiveTime,
        /// The first time after it that exists again.
        to: NaiveTime,
    },
    /// The clocks show it twice: first at offset `first`, then at `second`.
    Twice {
        /// The offset of its first occurrence, the one the site publishes.
        first: FixedOffset,
        /// The offset of its second occurrence.
        second: FixedOffset,
    },
}

/// Whether `local` exists in `zone`, once or twice.
pub(super) fn wall_time(zone: Tz, local: NaiveDateTime) -> WallTime {
    let exists = |t: NaiveDateTime| !matches!(zone.from_local_datetime(&t), LocalResult::None);
    match zone.from_local_datetime(&local) {
        LocalResult::Single(_) => WallTime::Once,
        LocalResult::Ambiguous(first, second) => WallTime::Twice {
            first: first.offset().fix(),
            second: second.offset().fix(),
        },
        LocalResult::None => {
            // By the minute: every change of offset in the tz database since 1970 falls on
            // one.
            let mut from = local;
            while local - from < SEARCH && !exists(from - Duration::minutes(1)) {
                from -= Duration::minutes(1);
            }
            let mut to = local;
            while to - local < SEARCH && !exists(to) {
                to += Duration::minutes(1);
            }
            WallTime::Skipped {
                from: from.time(),
                to: to.time(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn paris_skips_two_to_three_on_30_march_2025() {
        let paris = chrono_tz::Europe::Paris;
        let skipped = WallTime::Skipped {
            from: time(2, 0),
            to: time(3, 0),
        };
        assert_eq!(wall_time(paris, at(2025, 3, 30, 2, 30)), skipped);
        assert_eq!(wall_time(paris, at(2025, 3, 30, 2, 0)), skipped);
        assert_eq!(wall_time(paris, at(2025, 3, 30, 1, 59)), WallTime::Once);
        assert_eq!(wall_time(paris, at(2025, 3, 30, 3, 0)), WallTime::Once);
    }

    #[test]
    fn paris_shows_half_past_two_twice_on_26_october_2025() {
        let east = |hours| FixedOffset::east_opt(hours * 3600).unwrap();
        assert_eq!(
            wall_time(chrono_tz::Europe::Paris, at(2025, 10, 26, 2, 30)),
            WallTime::Twice {
                first: east(2),
                second: east(1)
            }
        );
    }

    #[test]
    fn samoa_skipped_a_whole_day_in_2011() {
        let skipped = wall_time(chrono_tz::Pacific::Apia, at(2011, 12, 30, 12, 0));
        assert_eq!(
            skipped,
            WallTime::Skipped {
                from: time(0, 0),
                to: time(0, 0)
            }
        );
    }
}
