//! The virtual clock's units: milliseconds since the scenario started, Go-style durations
//! (`500ms`, `30s`, `1h30m`) and kubectl's ages (`duration.HumanDuration`).

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;

/// Milliseconds since the scenario started.
pub type Millis = i64;

pub const SECOND: Millis = 1000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;

/// The wall-clock moment the virtual clock starts at: 2026-01-01T00:00:00Z.
pub const EPOCH_SECONDS: i64 = 1_767_225_600;

/// The API timestamp for a moment of the virtual clock (second precision, as the API stores it).
pub fn timestamp(t: Millis) -> Time {
    let secs = EPOCH_SECONDS.saturating_add(t.div_euclid(SECOND));
    Time(Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH))
}

/// The virtual-clock moment of an API timestamp (before the start → negative).
pub fn millis_of(t: &Time) -> Millis {
    (t.0.as_second() - EPOCH_SECONDS)
        .saturating_mul(SECOND)
        .saturating_add(i64::from(t.0.subsec_millisecond()))
}

/// Parse a Go duration: a sequence of decimal numbers with units `ns`, `us`, `µs`, `ms`, `s`, `m`,
/// `h` (`300ms`, `1.5h`, `2h45m`); sub-millisecond parts round down. Errors use Go's wording.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total_ns: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        if num_len == 0 {
            return Err(invalid());
        }
        let value: f64 = rest[..num_len].parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            u => return Err(format!("time: unknown unit {u:?} in duration {s:?}")),
        };
        total_ns += value * scale;
        rest = &rest[unit_len..];
    }
    if total_ns > 9.2e18 {
        return Err(invalid());
    }
    let ms = (total_ns / 1e6).floor() as Millis;
    Ok(if neg { -ms } else { ms })
}

/// kubectl's AGE column: `duration.HumanDuration`.
pub fn human_duration(d: Millis) -> String {
    let seconds = d.div_euclid(SECOND);
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    #[test]
    fn go_durations() {
        let cases: &[(&str, Millis)] = &[
            ("0", 0),
            ("500ms", 500),
            ("30s", 30_000),
            ("2m", 120_000),
            ("1h30m", 5_400_000),
            ("1.5s", 1_500),
            ("1m0.5s", 60_500),
            ("250us", 0),
            ("-2s", -2_000),
        ];
        for (s, want) in cases {
            assert_eq!(parse_duration(s), Ok(*want), "{s}");
        }
        assert_eq!(
            parse_duration("10"),
            Err("time: missing unit in duration \"10\"".into())
        );
        assert_eq!(
            parse_duration("3d"),
            Err("time: unknown unit \"d\" in duration \"3d\"".into())
        );
        assert_eq!(
            parse_duration("abc"),
            Err("time: invalid duration \"abc\"".into())
        );
        assert_eq!(
            parse_duration(""),
            Err("time: invalid duration \"\"".into())
        );
    }

    #[test]
    fn kubectl_ages() {
        let cases: &[(Millis, &str)] = &[
            (0, "0s"),
            (59 * SECOND, "59s"),
            (119 * SECOND, "119s"),
            (2 * MINUTE, "2m"),
            (3 * MINUTE + 13 * SECOND, "3m13s"),
            (10 * MINUTE + 5 * SECOND, "10m"),
            (179 * MINUTE, "179m"),
            (3 * HOUR, "3h"),
            (3 * HOUR + 5 * MINUTE, "3h5m"),
            (8 * HOUR + 5 * MINUTE, "8h"),
            (47 * HOUR, "47h"),
            (50 * HOUR, "2d2h"),
            (10 * 24 * HOUR, "10d"),
            (-500, "0s"),
            (-5 * SECOND, "<invalid>"),
        ];
        for (d, want) in cases {
            assert_eq!(human_duration(*d), *want, "{d}");
        }
    }

    #[test]
    fn timestamps_round_trip() {
        let t = timestamp(90 * SECOND);
        assert_eq!(t.0.to_string(), "2026-01-01T00:01:30Z");
        assert_eq!(millis_of(&t), 90 * SECOND);
    }
}
