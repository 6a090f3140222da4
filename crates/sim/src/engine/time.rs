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
/// `h` (`300ms`, `1.5h`, `2h45m`), as `time.ParseDuration` does it — integer nanoseconds with its
/// overflow checks, so `2562047h` is the longest whole-hour duration — then whole milliseconds
/// (sub-millisecond parts round toward zero). Errors use Go's wording.
pub fn parse_duration(s: &str) -> Result<Millis, String> {
    let invalid = || format!("time: invalid duration {s:?}");
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    const LIMIT: u64 = 1 << 63;
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let b = rest.as_bytes();
        if !(b[0] == b'.' || b[0].is_ascii_digit()) {
            return Err(invalid());
        }
        // leadingInt: digits, refusing overflow.
        let int_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
        let mut v: u64 = 0;
        for d in &b[..int_len] {
            v = v
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
                .filter(|v| *v <= LIMIT)
                .ok_or_else(invalid)?;
        }
        rest = &rest[int_len..];
        // leadingFraction: digits after a point, as many as fit.
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(frac) = rest.strip_prefix('.') {
            let frac_len = frac.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for d in frac[..frac_len].bytes() {
                if overflow {
                    continue;
                }
                match f
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(u64::from(d - b'0')))
                {
                    Some(x) if x <= LIMIT => {
                        f = x;
                        scale *= 10.0;
                    }
                    _ => overflow = true,
                }
            }
            post = frac_len > 0;
            rest = &frac[frac_len..];
        }
        if int_len == 0 && !post {
            return Err(invalid());
        }
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let ns_per: u64 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            u => return Err(format!("time: unknown unit {u:?} in duration {s:?}")),
        };
        rest = &rest[unit_len..];
        if v > LIMIT / ns_per {
            return Err(invalid());
        }
        v *= ns_per;
        if f > 0 {
            v += (f as f64 * (ns_per as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(invalid());
            }
        }
        total = total
            .checked_add(v)
            .filter(|t| *t <= LIMIT)
            .ok_or_else(invalid)?;
    }
    if !neg && total > LIMIT - 1 {
        return Err(invalid());
    }
    let ms = (total / 1_000_000) as Millis;
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
            // From Go's parseDurationTests (time/time_test.go), in whole milliseconds.
            (".5s", 500),
            ("1.00s", 1_000),
            ("+5s", 5_000),
            ("2562047h", 2_562_047 * HOUR),
            ("9223372036854775807ns", 9_223_372_036_854),
            ("-9223372036854775808ns", -9_223_372_036_854),
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
        // Overflows and bare points are invalid, as in Go.
        for s in [
            "2562048h",
            "9223372036854775808ns",
            "99999999999999999999s",
            ".s",
            "-",
            ".",
        ] {
            assert_eq!(
                parse_duration(s),
                Err(format!("time: invalid duration {s:?}"))
            );
        }
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
