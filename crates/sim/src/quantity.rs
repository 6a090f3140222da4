//! Kubernetes resource quantities (`"100m"`, `"1Gi"`, `"1.5"`, `"1e3"`, ...).
//!
//! This module reproduces the behaviour of `ParseQuantity` and the value
//! accessors from `k8s.io/apimachinery/pkg/api/resource` without any
//! floating point and without a big-integer dependency.
//!
//! # Grammar
//!
//! ```text
//! quantity        ::= [sign] number suffix
//! number          ::= digits | digits "." digits | digits "." | "." digits
//! suffix          ::= binarySI | decimalSI | decimalExponent
//! binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei           (powers of 1024)
//! decimalSI       ::= n | u | m | "" | k | M | G | T | P | E (powers of 1000)
//! decimalExponent ::= ("e" | "E") signed-integer             (powers of 10)
//! ```
//!
//! Suffixes are case sensitive (`m` is milli, `M` is mega, `K`/`ki` are
//! errors). A lone `E` is the exa suffix, `E3` is an exponent.
//!
//! # Semantics carried over from upstream
//!
//! * The input is scanned by the same permissive state machine upstream uses,
//!   so its quirks are kept: `"."`, `"-"`, `"+"`, `"m"`, `"Ki"` or `"e5"`
//!   (a number part without digits) all parse as zero, while a digit-less
//!   number whose exact evaluation is needed (`".e-10"`, `"Pi"`, `"Ei"`) is a
//!   numeric error.
//! * A decimal exponent must lie in `[-2147483647, 2147483647]`.
//! * Every non-zero value is rounded away from zero to a whole number of
//!   nano units (`0.1n` becomes `1n`).
//! * Binary-suffixed values are capped in magnitude at `2^63 - 1`; decimal
//!   values are not capped (`"1e100"` is a valid, exact quantity).
//! * A binary-suffixed value with magnitude in `(0, 1)` switches to the
//!   decimal SI format.
//! * [`Quantity::value`] and [`Quantity::milli_value`] round away from zero
//!   to the next integer and saturate at the `i64` bounds.
//!
//! Internally a quantity is an exact decimal: a sign, a string of decimal
//! digits and a power-of-ten exponent, so arbitrarily long inputs and huge
//! exponents are represented without overflow or allocation blow-up.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// The regular expression quoted by upstream's format error.
const SPLIT_RE: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// Parse / validation error, mirroring upstream's three error values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// The string does not have the shape `[sign] number suffix`.
    FormatWrong,
    /// The numeric part could not be evaluated.
    NumericPart,
    /// The suffix is not a known unit or a valid exponent.
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuantityError::FormatWrong => write!(
                f,
                "quantities must match the regular expression '{SPLIT_RE}'"
            ),
            QuantityError::NumericPart => f.write_str("unable to parse numeric part of quantity"),
            QuantityError::Suffix => f.write_str("unable to parse quantity's suffix"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// How a quantity is written back out (upstream's `Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// `12e6`
    DecimalExponent,
    /// `12Mi` (powers of 1024)
    BinarySi,
    /// `12M` (powers of 1000)
    DecimalSi,
}

/// An exact, fixed-point resource quantity.
///
/// The value is `(-1)^negative * digits * 10^exp`. `digits` holds decimal
/// digits (0..=9), most significant first, with neither leading nor trailing
/// zeros; zero is the empty digit string with `exp == 0` and `negative ==
/// false`. Because the representation is normalised, two quantities with the
/// same value and the same format compare equal with `==`; use
/// [`Quantity::cmp_value`] to compare values regardless of format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantity {
    negative: bool,
    digits: Vec<u8>,
    exp: i64,
    format: Format,
}

/// Largest magnitude a binary-suffixed quantity may have: `2^63 - 1`.
const BINARY_CAP: u128 = i64::MAX as u128;

/// The smallest representable unit is one nano (10^-9).
const NANO_EXP: i64 = -9;

impl Quantity {
    /// Parses a quantity string exactly as upstream's `ParseQuantity` does.
    pub fn parse(s: &str) -> Result<Quantity, QuantityError> {
        if s.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        let parts = scan(s.as_bytes())?;
        let (exponent, format) = interpret_suffix(parts.suffix).ok_or(QuantityError::Suffix)?;

        if !parts.has_digits {
            // Upstream evaluates cheap cases with integer arithmetic (which
            // happily treats an empty number as 0) and only falls back to an
            // arbitrary-precision decimal, which insists on at least one
            // digit, when the cheap path cannot represent the value.
            let needs_decimal = match format {
                // scale = exponent; the fast path needs scale >= -9.
                Format::DecimalSi | Format::DecimalExponent => i64::from(exponent) < NANO_EXP,
                // precision = 15 - len("0") - exponent*3/10 - 1 must be >= 0,
                // which fails for Pi (50) and Ei (60).
                Format::BinarySi => 13 - exponent * 3 / 10 < 0,
            };
            if needs_decimal {
                return Err(QuantityError::NumericPart);
            }
            return Ok(Quantity::zero(format));
        }

        let mut digits: Vec<u8> = parts
            .num
            .iter()
            .chain(parts.denom.iter())
            .map(|b| b - b'0')
            .collect();
        let denom_len = i64::try_from(parts.denom.len()).unwrap_or(i64::MAX);
        let mut exp = match format {
            Format::BinarySi => 0i64,
            Format::DecimalSi | Format::DecimalExponent => i64::from(exponent),
        }
        .saturating_sub(denom_len);
        if format == Format::BinarySi {
            // exponent is one of 10, 20, ..., 60: multiply by 1024 repeatedly.
            for _ in 0..exponent / 10 {
                mul_small(&mut digits, 1024);
            }
        }
        normalize(&mut digits, &mut exp);

        let mut q = Quantity {
            negative: !parts.positive,
            digits,
            exp,
            format,
        };
        q.round_up_to_nano();

        if q.format == Format::BinarySi {
            let cap = Quantity::from_parts(false, BINARY_CAP, 0, Format::BinarySi);
            if cmp_magnitude(&q, &cap) == Ordering::Greater {
                q.digits = cap.digits;
                q.exp = cap.exp;
            }
            if !q.is_zero() && q.magnitude_below_one() {
                q.format = Format::DecimalSi;
            }
        }
        if q.digits.is_empty() {
            q.negative = false;
            q.exp = 0;
        }
        Ok(q)
    }

    /// `ceil(value * 1000)` (rounding away from zero), saturated to `i64`.
    pub fn milli_value(&self) -> i64 {
        self.scaled_value(3)
    }

    /// `ceil(value)` (rounding away from zero), saturated to `i64`.
    pub fn value(&self) -> i64 {
        self.scaled_value(0)
    }

    /// True if the quantity is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// True if the quantity is strictly negative.
    pub fn is_negative(&self) -> bool {
        self.negative && !self.digits.is_empty()
    }

    /// True if the quantity is a whole number.
    pub fn is_integer(&self) -> bool {
        self.digits.is_empty() || self.exp >= 0
    }

    /// Exact numeric comparison (the format is ignored).
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.signum(), other.signum());
        if a != b {
            return a.cmp(&b);
        }
        match a {
            0 => Ordering::Equal,
            1 => cmp_magnitude(self, other),
            _ => cmp_magnitude(other, self),
        }
    }

    /// A decimal-SI quantity of `m` thousandths (upstream `NewMilliQuantity`).
    pub fn from_milli(m: i64) -> Quantity {
        Quantity::from_parts(m < 0, u128::from(m.unsigned_abs()), -3, Format::DecimalSi)
    }

    fn zero(format: Format) -> Quantity {
        Quantity {
            negative: false,
            digits: Vec::new(),
            exp: 0,
            format,
        }
    }

    /// Builds `(-1)^negative * mantissa * 10^exp`, normalised, without rounding.
    fn from_parts(negative: bool, mantissa: u128, exp: i64, format: Format) -> Quantity {
        let mut digits: Vec<u8> = mantissa.to_string().bytes().map(|b| b - b'0').collect();
        let mut exp = exp;
        normalize(&mut digits, &mut exp);
        let mut q = Quantity {
            negative,
            digits,
            exp,
            format,
        };
        if q.digits.is_empty() {
            q.negative = false;
            q.exp = 0;
        }
        q
    }

    fn signum(&self) -> i8 {
        if self.digits.is_empty() {
            0
        } else if self.negative {
            -1
        } else {
            1
        }
    }

    /// Position just past the most significant digit, as a power of ten:
    /// the magnitude lies in `[10^(top-1), 10^top)`.
    fn top(&self) -> i128 {
        self.digits.len() as i128 + i128::from(self.exp)
    }

    fn magnitude_below_one(&self) -> bool {
        self.top() <= 0
    }

    /// Rounds a non-zero magnitude up (away from zero) to a multiple of 10^-9.
    fn round_up_to_nano(&mut self) {
        if self.digits.is_empty() || self.exp >= NANO_EXP {
            return;
        }
        // Number of digits below the nano position; positive here.
        let drop = i128::from(NANO_EXP) - i128::from(self.exp);
        let len = self.digits.len() as i128;
        if drop >= len {
            // The whole value is below 1n.
            self.digits.clear();
            self.digits.push(1);
        } else {
            // Keep the leading digits; the dropped tail ends in a non-zero
            // digit (normalised), so the kept part always rounds up by one.
            let keep = (len - drop) as usize;
            self.digits.truncate(keep);
            add_one(&mut self.digits);
        }
        self.exp = NANO_EXP;
        normalize(&mut self.digits, &mut self.exp);
    }

    /// `ceil(|value| * 10^k)` away from zero, with the sign, saturated to i64.
    fn scaled_value(&self, k: i64) -> i64 {
        if self.digits.is_empty() {
            return 0;
        }
        // Anything with more than 20 integer digits is far beyond i64.
        const SATURATED: u128 = u128::MAX;
        let e = i128::from(self.exp) + i128::from(k);
        let int_digits = self.digits.len() as i128 + e;
        let magnitude: u128 = if e >= 0 {
            if int_digits > 20 {
                SATURATED
            } else {
                let mut m = digits_to_u128(&self.digits);
                for _ in 0..e {
                    m *= 10;
                }
                m
            }
        } else if int_digits <= 0 {
            // Purely fractional and non-zero: rounds up to one unit.
            1
        } else if int_digits > 20 {
            SATURATED
        } else {
            // A normalised digit string with e < 0 always has a non-zero
            // fractional part, so the integer part is rounded up by one.
            digits_to_u128(&self.digits[..int_digits as usize]) + 1
        };
        if self.negative {
            if magnitude >= 1u128 << 63 {
                i64::MIN
            } else {
                -(magnitude as i64)
            }
        } else if magnitude > i64::MAX as u128 {
            i64::MAX
        } else {
            magnitude as i64
        }
    }

    /// Digits of the magnitude in canonical decimal form: an exponent that is
    /// a multiple of three (rounded down) with the mantissa padded to match.
    fn canonical_decimal(&self) -> (String, i64) {
        let shift = self.exp.rem_euclid(3);
        let mut text: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        for _ in 0..shift {
            text.push('0');
        }
        (text, self.exp - shift)
    }

    fn write_decimal(&self, out: &mut String, si: bool) {
        let (number, exponent) = self.canonical_decimal();
        out.push_str(&number);
        let si_suffix = match exponent {
            -9 => Some("n"),
            -6 => Some("u"),
            -3 => Some("m"),
            0 => Some(""),
            3 => Some("k"),
            6 => Some("M"),
            9 => Some("G"),
            12 => Some("T"),
            15 => Some("P"),
            18 => Some("E"),
            _ => None,
        };
        match si_suffix {
            Some(suffix) if si => out.push_str(suffix),
            _ if exponent == 0 => {}
            // Outside the SI table (or exponent format): plain exponent.
            _ => {
                out.push('e');
                out.push_str(&exponent.to_string());
            }
        }
    }

    /// Binary-SI rendering of an integral magnitude: `mantissa * 1024^n` with
    /// `n` as large as possible. Returns false when no binary suffix fits
    /// (beyond `Ei`), in which case the caller falls back to decimal.
    fn write_binary(&self, out: &mut String) -> bool {
        // 10^70 is divisible by 1024^7, which has no suffix; don't build it.
        if self.exp >= 70 || self.exp < 0 {
            return false;
        }
        let mut value = self.digits.clone();
        value.extend(std::iter::repeat_n(0, self.exp as usize));
        let mut power = 0usize;
        loop {
            let (quotient, remainder) = div_small(&value, 1024);
            if remainder != 0 || quotient.is_empty() {
                break;
            }
            value = quotient;
            power += 1;
        }
        const BINARY_SUFFIXES: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        let Some(suffix) = BINARY_SUFFIXES.get(power) else {
            return false;
        };
        out.extend(value.iter().map(|d| char::from(b'0' + d)));
        out.push_str(suffix);
        true
    }
}

impl fmt::Display for Quantity {
    /// Canonical form, as upstream's `CanonicalizeBytes`: no fractional
    /// digits, the largest suffix that loses no precision, the original
    /// suffix family kept (`1024Mi` -> `1Gi`, `0.5` -> `500m`, `1000M` ->
    /// `1G`, `1.5Gi` -> `1536Mi`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.digits.is_empty() {
            return f.write_str("0");
        }
        let mut out = String::new();
        if self.negative {
            out.push('-');
        }
        match self.format {
            Format::DecimalSi => self.write_decimal(&mut out, true),
            Format::DecimalExponent => self.write_decimal(&mut out, false),
            Format::BinarySi => {
                // |v| < 1024 or fractional: shown as decimal SI so that no
                // rounding happens and small values stay readable.
                let below_1024 = self.top() < 4 || {
                    let k = Quantity::from_parts(false, 1024, 0, Format::BinarySi);
                    cmp_magnitude(self, &k) == Ordering::Less
                };
                if below_1024 || !self.is_integer() || !self.write_binary(&mut out) {
                    self.write_decimal(&mut out, true);
                }
            }
        }
        f.write_str(&out)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(s: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(s)
    }
}

/// The pieces of a quantity string found by [`scan`].
#[derive(Debug, PartialEq, Eq)]
struct Parts<'a> {
    positive: bool,
    /// At least one digit (leading zeros included) before the suffix.
    has_digits: bool,
    /// Integer digits with leading zeros removed (may be empty for zero).
    num: &'a [u8],
    /// Fractional digits (may be empty).
    denom: &'a [u8],
    suffix: &'a [u8],
}

fn is_suffix_letter(b: u8) -> bool {
    b"eEinumkKMGTP".contains(&b)
}

/// Splits a quantity into sign, integer digits, fraction digits and suffix,
/// following upstream's hand-written scanner byte for byte (it is more
/// permissive than the regular expression quoted in its error message).
fn scan(s: &[u8]) -> Result<Parts<'_>, QuantityError> {
    let end = s.len();
    let mut pos = 0;
    let mut positive = true;
    match s.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => {}
    }
    let mut parts = Parts {
        positive,
        has_digits: false,
        num: &[],
        denom: &[],
        suffix: &[],
    };

    // Leading zeros; running out of input here means the value is zero.
    let zeros_start = pos;
    while pos < end && s[pos] == b'0' {
        pos += 1;
    }
    parts.has_digits = pos > zeros_start;
    if pos >= end {
        parts.has_digits = true;
        return Ok(parts);
    }

    let num_start = pos;
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    parts.num = &s[num_start..pos];
    parts.has_digits |= !parts.num.is_empty();
    if pos >= end {
        return Ok(parts);
    }

    if s[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && s[pos].is_ascii_digit() {
            pos += 1;
        }
        parts.denom = &s[denom_start..pos];
        parts.has_digits |= !parts.denom.is_empty();
        if pos >= end {
            return Ok(parts);
        }
    }

    // Suffix: unit letters, then an optional sign, then exponent digits.
    let suffix_start = pos;
    while pos < end && is_suffix_letter(s[pos]) {
        pos += 1;
    }
    if pos < end && (s[pos] == b'+' || s[pos] == b'-') {
        pos += 1;
    }
    while pos < end && s[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    parts.suffix = &s[suffix_start..];
    Ok(parts)
}

/// Maps a suffix to its power (of 10, or of 2 for binary SI) and format.
fn interpret_suffix(suffix: &[u8]) -> Option<(i32, Format)> {
    let known = match suffix {
        b"" => Some((0, Format::DecimalSi)),
        b"n" => Some((-9, Format::DecimalSi)),
        b"u" => Some((-6, Format::DecimalSi)),
        b"m" => Some((-3, Format::DecimalSi)),
        b"k" => Some((3, Format::DecimalSi)),
        b"M" => Some((6, Format::DecimalSi)),
        b"G" => Some((9, Format::DecimalSi)),
        b"T" => Some((12, Format::DecimalSi)),
        b"P" => Some((15, Format::DecimalSi)),
        b"E" => Some((18, Format::DecimalSi)),
        b"Ki" => Some((10, Format::BinarySi)),
        b"Mi" => Some((20, Format::BinarySi)),
        b"Gi" => Some((30, Format::BinarySi)),
        b"Ti" => Some((40, Format::BinarySi)),
        b"Pi" => Some((50, Format::BinarySi)),
        b"Ei" => Some((60, Format::BinarySi)),
        _ => None,
    };
    if known.is_some() {
        return known;
    }
    match suffix {
        [b'e' | b'E', rest @ ..] if !rest.is_empty() => {
            let exponent = parse_exponent(rest)?;
            Some((exponent, Format::DecimalExponent))
        }
        _ => None,
    }
}

/// A signed decimal integer in `[-(2^31 - 1), 2^31 - 1]`. Upstream parses the
/// exponent as a 64-bit integer and rejects anything its 32-bit scale (which
/// it later negates) cannot hold.
fn parse_exponent(text: &[u8]) -> Option<i32> {
    let (negative, digits) = match text {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut magnitude: i64 = 0;
    for d in digits {
        magnitude = magnitude
            .checked_mul(10)?
            .checked_add(i64::from(d - b'0'))?;
        if magnitude > i64::from(i32::MAX) {
            return None;
        }
    }
    let value = if negative { -magnitude } else { magnitude };
    i32::try_from(value).ok()
}

/// Strips leading zeros and moves trailing zeros into the exponent.
fn normalize(digits: &mut Vec<u8>, exp: &mut i64) {
    let leading = digits.iter().take_while(|&&d| d == 0).count();
    if leading == digits.len() {
        digits.clear();
        *exp = 0;
        return;
    }
    digits.drain(..leading);
    let trailing = digits.iter().rev().take_while(|&&d| d == 0).count();
    digits.truncate(digits.len() - trailing);
    *exp = exp.saturating_add(i64::try_from(trailing).unwrap_or(i64::MAX));
}

/// `digits *= factor` on a most-significant-first decimal digit string.
fn mul_small(digits: &mut Vec<u8>, factor: u32) {
    let mut carry: u64 = 0;
    for d in digits.iter_mut().rev() {
        let product = u64::from(*d) * u64::from(factor) + carry;
        *d = (product % 10) as u8;
        carry = product / 10;
    }
    let mut head = Vec::new();
    while carry > 0 {
        head.push((carry % 10) as u8);
        carry /= 10;
    }
    head.reverse();
    digits.splice(0..0, head);
}

/// `digits / divisor` and the remainder; the quotient has no leading zeros.
fn div_small(digits: &[u8], divisor: u32) -> (Vec<u8>, u32) {
    let mut quotient = Vec::with_capacity(digits.len());
    let mut remainder: u64 = 0;
    for &d in digits {
        let current = remainder * 10 + u64::from(d);
        let q = (current / u64::from(divisor)) as u8;
        remainder = current % u64::from(divisor);
        if !(quotient.is_empty() && q == 0) {
            quotient.push(q);
        }
    }
    (quotient, remainder as u32)
}

/// `digits += 1`.
fn add_one(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

/// Value of at most 38 decimal digits.
fn digits_to_u128(digits: &[u8]) -> u128 {
    digits
        .iter()
        .fold(0u128, |acc, &d| acc * 10 + u128::from(d))
}

/// Compares the absolute values of two non-zero normalised quantities.
fn cmp_magnitude(a: &Quantity, b: &Quantity) -> Ordering {
    // Normalised digit strings have no trailing zeros, so once the leading
    // powers agree plain lexicographic order is numeric order (a strict
    // prefix is the smaller number because the longer one adds a non-zero
    // digit).
    a.top()
        .cmp(&b.top())
        .then_with(|| a.digits.as_slice().cmp(b.digits.as_slice()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const DSI: Format = Format::DecimalSi;
    const BSI: Format = Format::BinarySi;
    const DEX: Format = Format::DecimalExponent;

    /// `mantissa * 10^exp` in the given format.
    fn q(mantissa: i128, exp: i64, format: Format) -> Quantity {
        Quantity::from_parts(mantissa < 0, mantissa.unsigned_abs(), exp, format)
    }

    fn parse(s: &str) -> Quantity {
        match Quantity::parse(s) {
            Ok(q) => q,
            Err(e) => panic!("{s:?} should parse, got {e}"),
        }
    }

    fn negated(x: &Quantity) -> Quantity {
        let mut n = x.clone();
        n.negative = !n.digits.is_empty() && !n.negative;
        n
    }

    /// Valid inputs with the exact value and format upstream produces
    /// (from upstream's TestQuantityParse, plus the cases of this brief).
    #[test]
    fn parses_to_exact_value_and_format() {
        let cap = i128::from(i64::MAX);
        #[rustfmt::skip]
        let table: &[(&str, i128, i64, Format, &str)] = &[
            ("0", 0, 0, DSI, "zero"),
            ("0n", 0, 0, DSI, "zero with suffix keeps decimal format"),
            ("0u", 0, 0, DSI, "zero micro"),
            ("0m", 0, 0, DSI, "zero milli"),
            ("0Ki", 0, 0, BSI, "zero keeps binary format"),
            ("0k", 0, 0, DSI, "zero kilo"),
            ("0Mi", 0, 0, BSI, "zero Mi"),
            ("0M", 0, 0, DSI, "zero mega"),
            ("0Gi", 0, 0, BSI, "zero Gi"),
            ("0G", 0, 0, DSI, "zero giga"),
            ("0Ti", 0, 0, BSI, "zero Ti"),
            ("0T", 0, 0, DSI, "zero tera"),
            ("1", 1, 0, DSI, "no suffix"),
            ("1Ki", 1024, 0, BSI, "binary Ki"),
            ("8Ki", 8 * 1024, 0, BSI, "binary Ki"),
            ("7Mi", 7 << 20, 0, BSI, "binary Mi"),
            ("6Gi", 6 << 30, 0, BSI, "binary Gi"),
            ("5Ti", 5 << 40, 0, BSI, "binary Ti"),
            ("4Pi", 4 << 50, 0, BSI, "binary Pi"),
            ("3Ei", 3 << 60, 0, BSI, "binary Ei"),
            ("10Ti", 10 << 40, 0, BSI, "binary Ti"),
            ("100Ti", 100 << 40, 0, BSI, "binary Ti"),
            ("5n", 5, -9, DSI, "nano"),
            ("4u", 4, -6, DSI, "micro"),
            ("3m", 3, -3, DSI, "milli (lower-case m)"),
            ("9", 9, 0, DSI, "unit"),
            ("8k", 8, 3, DSI, "kilo"),
            ("50k", 5, 4, DSI, "kilo"),
            ("7M", 7, 6, DSI, "mega (upper-case M)"),
            ("6G", 6, 9, DSI, "giga"),
            ("5T", 5, 12, DSI, "tera"),
            ("40T", 4, 13, DSI, "tera"),
            ("300T", 3, 14, DSI, "tera"),
            ("2P", 2, 15, DSI, "peta"),
            ("1E", 1, 18, DSI, "lone E is exa"),
            ("1E-3", 1, -3, DEX, "exponent"),
            ("1e3", 1, 3, DEX, "exponent"),
            ("1E6", 1, 6, DEX, "exponent"),
            ("1e9", 1, 9, DEX, "exponent"),
            ("1E12", 1, 12, DEX, "exponent"),
            ("1e15", 1, 15, DEX, "exponent"),
            ("1E18", 1, 18, DEX, "exponent"),
            ("1e14", 1, 14, DEX, "non-multiple-of-3 exponent"),
            ("1e13", 1, 13, DEX, "non-multiple-of-3 exponent"),
            ("100.035k", 100035, 0, DSI, "fraction with SI suffix"),
            ("0.001", 1, -3, DSI, "decimal fraction"),
            ("0.0005k", 5, -1, DSI, "fraction with kilo"),
            ("0.005", 5, -3, DSI, "decimal fraction"),
            ("0.05", 5, -2, DSI, "decimal fraction"),
            ("0.5", 5, -1, DSI, "decimal fraction"),
            ("0.00050k", 5, -1, DSI, "trailing zeros"),
            ("0.00500", 5, -3, DSI, "trailing zeros"),
            ("0.05000", 5, -2, DSI, "trailing zeros"),
            ("0.50000", 5, -1, DSI, "trailing zeros"),
            ("0.5e0", 5, -1, DEX, "zero exponent"),
            ("0.5e-1", 5, -2, DEX, "negative exponent"),
            ("0.5e-2", 5, -3, DEX, "negative exponent"),
            ("10.035M", 10035, 3, DSI, "fraction with mega"),
            ("1.2e3", 12, 2, DEX, "fraction with exponent"),
            ("1.3E+6", 13, 5, DEX, "explicit + in exponent"),
            ("1.40e9", 14, 8, DEX, "fraction with exponent"),
            ("1.53E12", 153, 10, DEX, "fraction with exponent"),
            ("1.6e15", 16, 14, DEX, "fraction with exponent"),
            ("1.7E18", 17, 17, DEX, "fraction with exponent"),
            ("9.01", 901, -2, DSI, "fraction"),
            ("8.1k", 81, 2, DSI, "fraction with kilo"),
            ("7.123456M", 7123456, 0, DSI, "fraction with mega"),
            ("6.987654321G", 6987654321, 0, DSI, "fraction with giga"),
            ("5.444T", 5444, 9, DSI, "fraction with tera"),
            ("40.1T", 401, 11, DSI, "fraction with tera"),
            ("300.2T", 3002, 11, DSI, "fraction with tera"),
            ("2.5P", 25, 14, DSI, "fraction with peta"),
            ("1.01E", 101, 16, DSI, "fraction with exa"),
            ("3.001n", 4, -9, DSI, "rounds up to whole nanos"),
            ("1.1E-9", 2, -9, DEX, "rounds up to whole nanos"),
            ("0.0000000001", 1, -9, DSI, "sub-nano rounds up to 1n"),
            ("0.0000000005", 1, -9, DSI, "sub-nano rounds up to 1n"),
            ("0.00000000050", 1, -9, DSI, "sub-nano rounds up to 1n"),
            ("0.5e-9", 1, -9, DEX, "sub-nano rounds up to 1n"),
            ("0.9n", 1, -9, DSI, "sub-nano rounds up to 1n"),
            ("0.00000012345", 124, -9, DSI, "rounds up, not half-up"),
            ("0.00000012354", 124, -9, DSI, "rounds up"),
            ("9Ei", cap, 0, BSI, "binary capped at 2^63-1"),
            ("9223372036854775807Ki", cap, 0, BSI, "binary capped at 2^63-1"),
            ("12E", 12, 18, DSI, "decimal is not capped"),
            ("100.035Ki", 10243584, -2, BSI, "fractional binary"),
            ("0.5Mi", 524288, 0, BSI, "fractional binary"),
            ("0.05Gi", 536870912, -1, BSI, "fractional binary"),
            ("0.025Ti", 274877906944, -1, BSI, "fractional binary"),
            ("0.000000000001Ki", 2, -9, DSI, "binary below 1 rounds up and turns decimal"),
            (".001", 1, -3, DSI, "no integer digits"),
            (".0001k", 100, -3, DSI, "no integer digits"),
            ("1.", 1, 0, DSI, "no fraction digits"),
            ("1.G", 1, 9, DSI, "no fraction digits before suffix"),
            // The examples of this module's brief.
            ("100m", 100, -3, DSI, "milli"),
            ("200Mi", 209715200, 0, BSI, "Mi"),
            ("1Gi", 1 << 30, 0, BSI, "Gi"),
            ("1.5Gi", 1610612736, 0, BSI, "fractional Gi"),
            ("5Ki", 5120, 0, BSI, "Ki"),
            ("5k", 5000, 0, DSI, "k"),
            ("1E3", 1000, 0, DEX, "upper-case exponent"),
            ("1e+3", 1000, 0, DEX, "signed exponent"),
            ("1e0003", 1000, 0, DEX, "exponent with leading zeros"),
            ("007", 7, 0, DSI, "leading zeros"),
            // Big magnitudes stay exact (upstream's TestParseQuantity).
            ("9223372036854775808", 9223372036854775808, 0, DSI, "2^63 is a valid decimal"),
            ("9999999999999999999", 9999999999999999999, 0, DSI, "19 digits"),
            ("10000000000000000001", 10000000000000000001, 0, DSI, "20 digits"),
            ("1.0000000000000000001E", 10000000000000000001, -1, DSI, "long fraction with exa"),
            ("1e2147483647", 1, 2147483647, DEX, "largest exponent"),
            ("1e-2147483647", 1, -9, DEX, "smallest exponent rounds to 1n"),
            // Upstream scanner quirks: a number without digits is zero when
            // the integer fast path can evaluate it.
            (".", 0, 0, DSI, "quirk: lone dot is zero"),
            ("-.", 0, 0, DSI, "quirk: signed lone dot is zero"),
            ("-", 0, 0, DSI, "quirk: lone sign is zero"),
            ("+", 0, 0, DSI, "quirk: lone sign is zero"),
            ("m", 0, 0, DSI, "quirk: bare suffix is zero"),
            ("Ki", 0, 0, BSI, "quirk: bare binary suffix is zero"),
            ("Ti", 0, 0, BSI, "quirk: bare Ti is zero"),
            ("e5", 0, 0, DEX, "quirk: bare exponent is zero"),
            ("0Ei", 0, 0, BSI, "explicit zero with Ei"),
            ("-0", 0, 0, DSI, "negative zero is zero"),
        ];
        for &(input, mantissa, exp, format, rule) in table {
            let want = q(mantissa, exp, format);
            let got = parse(input);
            assert_eq!(got, want, "{input:?} ({rule})");
            // Upstream also checks every row with an explicit sign.
            if !input.starts_with(['-', '+']) {
                let plus = parse(&format!("+{input}"));
                assert_eq!(plus, want, "+{input:?} ({rule})");
                let minus = parse(&format!("-{input}"));
                assert_eq!(minus, negated(&want), "-{input:?} ({rule})");
            }
        }
    }

    /// Invalid inputs with upstream's error kind.
    #[test]
    fn rejects_invalid_with_upstream_error() {
        use QuantityError::{FormatWrong, NumericPart, Suffix};
        #[rustfmt::skip]
        let table: &[(&str, QuantityError, &str)] = &[
            ("", FormatWrong, "empty string"),
            ("1.1.M", FormatWrong, "two dots"),
            ("1+1.0M", FormatWrong, "sign inside the number"),
            ("0.1mi", Suffix, "mi is not a unit"),
            ("0.1am", FormatWrong, "letter outside the suffix alphabet"),
            ("aoeu", FormatWrong, "not a number"),
            (".5i", Suffix, "lone i"),
            ("1i", Suffix, "lone i"),
            ("-3.01i", Suffix, "lone i"),
            ("-3.01e-", Suffix, "exponent without digits"),
            ("1e4294967297", Suffix, "exponent beyond int32 is rejected, not wrapped"),
            ("1e2147483648", Suffix, "exponent one past int32 max"),
            ("1E-2147483648", Suffix, "int32 min cannot be negated"),
            ("1e99999999999999999999", Suffix, "exponent beyond int64"),
            (" 1", FormatWrong, "leading space"),
            ("1 ", FormatWrong, "trailing space"),
            ("1 Gi", FormatWrong, "inner space"),
            ("1K", Suffix, "case matters: K"),
            ("1ki", Suffix, "case matters: ki"),
            ("1mi", Suffix, "case matters: mi"),
            ("1gb", FormatWrong, "g and b are outside the suffix alphabet"),
            ("1Mb", FormatWrong, "b is outside the suffix alphabet"),
            ("1KiB", FormatWrong, "B is outside the suffix alphabet"),
            ("1e", Suffix, "lone lower-case e"),
            ("1.5e", Suffix, "lone lower-case e"),
            ("1e+", Suffix, "exponent sign without digits"),
            ("1ee3", Suffix, "doubled exponent letter"),
            ("1e3e", FormatWrong, "letter after exponent digits"),
            ("1e1.5", FormatWrong, "fractional exponent"),
            ("1Ki1", Suffix, "digits after a unit"),
            ("1m3", Suffix, "digits after a unit"),
            ("1-3", Suffix, "sign without exponent letter"),
            ("--1", Suffix, "double sign"),
            ("1-", Suffix, "trailing sign"),
            ("1µ", FormatWrong, "non-ASCII micro sign"),
            (".e-10", NumericPart, "no digits where the exact path is needed"),
            ("-.e-10", NumericPart, "no digits where the exact path is needed"),
            ("e-10", NumericPart, "no digits where the exact path is needed"),
            ("Pi", NumericPart, "no digits with Pi"),
            ("Ei", NumericPart, "no digits with Ei"),
            ("-.Ei", NumericPart, "no digits with Ei"),
        ];
        for &(input, ref want, rule) in table {
            assert_eq!(
                Quantity::parse(input).as_ref(),
                Err(want),
                "{input:?} ({rule})"
            );
        }
    }

    #[test]
    fn error_messages_match_upstream() {
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression \
             '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
        assert_eq!(
            QuantityError::NumericPart.to_string(),
            "unable to parse numeric part of quantity"
        );
        assert_eq!(
            QuantityError::Suffix.to_string(),
            "unable to parse quantity's suffix"
        );
    }

    /// Upstream's TestParseQuantityString: how the scanner splits strings.
    #[test]
    fn scanner_splits_like_upstream() {
        #[rustfmt::skip]
        let table: &[(&str, bool, &str, &str, &str)] = &[
            ("0.025Ti", true, "", "025", "Ti"),
            ("1.025Ti", true, "1", "025", "Ti"),
            ("-1.025Ti", false, "1", "025", "Ti"),
            (".", true, "", "", ""),
            ("-.", false, "", "", ""),
            ("1E-3", true, "1", "", "E-3"),
        ];
        for &(input, positive, num, denom, suffix) in table {
            let parts = scan(input.as_bytes()).expect(input);
            assert_eq!(parts.positive, positive, "{input:?}");
            assert_eq!(parts.num, num.as_bytes(), "{input:?}");
            assert_eq!(parts.denom, denom.as_bytes(), "{input:?}");
            assert_eq!(parts.suffix, suffix.as_bytes(), "{input:?}");
        }
    }

    /// value() and milli_value(): round away from zero, saturate at i64.
    #[test]
    fn value_and_milli_value() {
        const MAX: i64 = i64::MAX;
        const MIN: i64 = i64::MIN;
        #[rustfmt::skip]
        let table: &[(&str, i64, i64, &str)] = &[
            ("100m", 1, 100, "memory 100m rounds up to 1"),
            ("0.5", 1, 500, "half"),
            ("1", 1, 1000, "one"),
            ("200Mi", 209715200, 209715200000, "Mi"),
            ("1Gi", 1073741824, 1073741824000, "Gi"),
            ("1G", 1000000000, 1000000000000, "G"),
            ("1.5Gi", 1610612736, 1610612736000, "fractional Gi"),
            ("5Ki", 5120, 5120000, "Ki"),
            ("5k", 5000, 5000000, "k"),
            ("0.0001", 1, 1, "rounds up to 1m"),
            ("1e3", 1000, 1000000, "exponent"),
            ("1E3", 1000, 1000000, "upper-case exponent"),
            ("1500m", 2, 1500, "rounds up"),
            ("0", 0, 0, "zero"),
            // upstream TestNegativeValueRoundsAwayFromZero
            ("-.484785E-7466", -1, -1, "negative sub-nano rounds to -1n"),
            (".484785E-7466", 1, 1, "sub-nano rounds to 1n"),
            ("-.484785E-1", -1, -49, "negative rounds away from zero"),
            (".484785E-1", 1, 49, "positive rounds up"),
            ("-0.0005", -1, -1, "negative rounds away from zero"),
            ("0.0005", 1, 1, "positive rounds up"),
            ("-1500m", -2, -1500, "negative rounds away from zero"),
            ("-9.5000000001Gi", -10200547329, -10200547328108, "binary fraction"),
            ("9.5000000001Gi", 10200547329, 10200547328108, "binary fraction"),
            ("-1", -1, -1000, "exact negative"),
            // upstream quantity_overflow_test accessors
            ("9223372036854775807", MAX, MAX, "i64::MAX; milli saturates"),
            ("1E", 1000000000000000000, MAX, "1e18; milli saturates"),
            ("8Ei", MAX, MAX, "binary capped"),
            ("-8Ei", -MAX, MIN, "negative binary capped"),
            ("20Ei", MAX, MAX, "binary capped"),
            ("-20Ei", -MAX, MIN, "negative binary capped"),
            ("9223372036854775808", MAX, MAX, "2^63 saturates"),
            ("18446744073709551616", MAX, MAX, "2^64 saturates"),
            ("100E", MAX, MAX, "1e20 saturates"),
            ("1000E", MAX, MAX, "1e21 saturates"),
            ("1e100", MAX, MAX, "1e100 saturates"),
            ("1e2147483647", MAX, MAX, "largest exponent saturates"),
            ("-9223372036854775808", MIN, MIN, "i64::MIN fits"),
            ("-9223372036854775807", MIN + 1, MIN, "milli saturates"),
            ("-9223372036854775809", MIN, MIN, "below i64::MIN saturates"),
            ("-1e30", MIN, MIN, "negative saturates"),
            ("-100E", MIN, MIN, "negative saturates"),
            ("-9.5Gi", -10200547328, -10200547328000, "exact negative binary"),
            ("9223372036854775.807", 9223372036854776, MAX, "milli exactly i64::MAX"),
            ("9223372036854775.8071", 9223372036854776, MAX, "milli just past i64::MAX"),
            ("-9223372036854775.808", -9223372036854776, MIN, "milli exactly i64::MIN"),
            ("99999999999999999999.5", MAX, MAX, "20 integer digits with fraction"),
        ];
        for &(input, value, milli, rule) in table {
            let got = parse(input);
            assert_eq!(got.value(), value, "{input:?}.value() ({rule})");
            assert_eq!(got.milli_value(), milli, "{input:?}.milli_value() ({rule})");
        }
    }

    /// Upstream's quantity_subnano_test: sub-nano magnitudes round to 1n.
    #[test]
    fn sub_nano_rounds_away_from_zero() {
        #[rustfmt::skip]
        let table: &[(&str, &str)] = &[
            ("1e-2147483647", "1n"),
            ("-1e-2147483647", "-1n"),
            ("1e-100", "1n"),
            ("-1e-100", "-1n"),
            ("1e-10", "1n"),
            ("9e-10", "1n"),
            ("-9e-10", "-1n"),
            ("1e-9", "1n"),
            ("-1e-9", "-1n"),
            ("2e-9", "2n"),
            ("15e-10", "2n"),
            ("1000000000000000000000e-30", "1n"),
            ("1000000000000000000001e-30", "2n"),
            ("999999999999999999999e-30", "1n"),
            ("0e-2147483647", "0"),
            ("0.0e-100", "0"),
            ("0.00000000000000000000001Ki", "1n"),
        ];
        for &(input, want) in table {
            assert_eq!(
                parse(input).cmp_value(&parse(want)),
                Ordering::Equal,
                "{input:?} should equal {want:?}"
            );
        }
        assert_eq!(parse("1e-100").to_string(), "1e-9");
        assert_eq!(parse("0.0000000000001").to_string(), "1n");
        assert_eq!(parse("-0.0000000000001").to_string(), "-1n");
        assert_eq!(parse("0.00000000000000000000001Ki").to_string(), "1n");
        assert_eq!(parse("1e-100"), parse("9e-10"));
        assert_eq!(parse("-1e-2147483647"), parse("-9e-10"));
    }

    /// Parsed strings and their canonical rendering (upstream's
    /// TestQuantityParseEmit, TestParseQuantity and overflow baselines).
    #[test]
    fn display_of_parsed_values() {
        #[rustfmt::skip]
        let table: &[(&str, &str, &str)] = &[
            ("100m", "100m", "milli stays milli"),
            ("0.5", "500m", "fraction becomes milli"),
            ("1", "1", "unit"),
            ("1.5", "1500m", "fraction becomes milli"),
            ("1000m", "1", "whole number drops the suffix"),
            ("1000", "1k", "largest SI suffix"),
            ("5000", "5k", "largest SI suffix"),
            ("1Ki", "1Ki", "binary"),
            ("1Mi", "1Mi", "binary"),
            ("1Gi", "1Gi", "binary"),
            ("1024Mi", "1Gi", "largest binary suffix"),
            ("1.5Gi", "1536Mi", "binary without fraction digits"),
            ("0.5Mi", "512Ki", "binary without fraction digits"),
            ("1000M", "1G", "largest SI suffix"),
            (".001Ki", "1024m", "binary below 1024 shown as decimal"),
            (".000001Ki", "1024u", "binary below 1024 shown as decimal"),
            (".000000001Ki", "1024n", "binary below 1024 shown as decimal"),
            (".000000000001Ki", "2n", "rounded up, decimal"),
            ("100.035Ki", "102435840m", "fractional binary shown as decimal"),
            ("1023Ki", "1023Ki", "no larger binary suffix"),
            ("1025", "1025", "decimal SI"),
            ("1e3", "1e3", "exponent format kept"),
            ("1E3", "1e3", "canonical exponent (upstream echoes the input)"),
            ("1e4", "10e3", "exponent a multiple of three"),
            ("1.1E-9", "2e-9", "rounded exponent"),
            ("1e0", "1", "zero exponent"),
            ("0.5e0", "500e-3", "exponent format fraction"),
            ("1e100", "10e99", "huge exponent, lossless"),
            ("1E", "1E", "exa"),
            ("12E", "12E", "exa"),
            ("100E", "100E", "exa"),
            ("1000E", "1e21", "beyond exa falls back to exponent notation"),
            ("5000E", "5e21", "beyond exa falls back to exponent notation"),
            ("10000000000000000000", "10E", "20 digits"),
            ("9999999999999999999000m", "9999999999999999999", "19 digits"),
            ("999999999999999999.1", "999999999999999999100m", "fraction on big value"),
            ("1.0000000000000000001E", "1000000000000000000100m", "fraction on big value"),
            ("1000000000000000000.0", "1E", "exa"),
            ("9223372036854775807", "9223372036854775807", "i64::MAX"),
            ("8Ei", "9223372036854775807", "binary cap has no binary suffix"),
            ("-8Ei", "-9223372036854775807", "negative binary cap"),
            ("18446744073709551616", "18446744073709551616", "2^64"),
            ("-9.5Gi", "-9728Mi", "negative binary"),
            ("-9.5000000001Gi", "-10200547328107374183n", "negative binary fraction"),
            ("-1000E", "-1e21", "negative beyond exa"),
            ("-100m", "-100m", "negative milli"),
            ("+1", "1", "plus sign dropped (upstream echoes the input)"),
            ("010", "10", "leading zeros dropped (upstream echoes the input)"),
            ("1.500", "1500m", "canonical milli (upstream echoes the input)"),
            ("0", "0", "zero"),
            ("0Ki", "0", "zero binary"),
            ("-0.0", "0", "no negative zero"),
        ];
        for &(input, want, rule) in table {
            assert_eq!(parse(input).to_string(), want, "{input:?} ({rule})");
        }
    }

    /// Upstream's TestQuantityString: canonical form of constructed values.
    #[test]
    fn display_of_constructed_values() {
        #[rustfmt::skip]
        let table: &[(i128, i64, Format, &str)] = &[
            (1024 * 1024 * 1024, 0, BSI, "1Gi"),
            (300 * 1024 * 1024, 0, BSI, "300Mi"),
            (6 * 1024, 0, BSI, "6Ki"),
            (1001 * 1024 * 1024 * 1024, 0, BSI, "1001Gi"),
            (1024 * 1024 * 1024 * 1024, 0, BSI, "1Ti"),
            (5, 0, BSI, "5"),
            (500, -3, BSI, "500m"),
            (1, 9, DSI, "1G"),
            (1000, 6, DSI, "1G"),
            (1000000, 3, DSI, "1G"),
            (1000000000, 0, DSI, "1G"),
            (1, -3, DSI, "1m"),
            (80, -3, DSI, "80m"),
            (1080, -3, DSI, "1080m"),
            (108, -2, DSI, "1080m"),
            (10800, -4, DSI, "1080m"),
            (300, 6, DSI, "300M"),
            (1, 12, DSI, "1T"),
            (1, 18, DSI, "1E"),
            (1, 21, DSI, "1e21"),
            (5, 21, DSI, "5e21"),
            (1, 24, DSI, "1e24"),
            (1, 70, BSI, "10e69"),
            (2, 70, BSI, "20e69"),
            (1, 72, BSI, "1e72"),
            (1 << 70, 0, BSI, "1180591620717411303424"),
            (1234567, 6, DSI, "1234567M"),
            (1234567, -3, BSI, "1234567m"),
            (3, 3, DSI, "3k"),
            (1025, 0, BSI, "1025"),
            (2000, 0, BSI, "2000"),
            (0, 0, DSI, "0"),
            (0, 0, BSI, "0"),
            (1, 9, DEX, "1e9"),
            (1, -3, DEX, "1e-3"),
            (1, -9, DEX, "1e-9"),
            (80, -3, DEX, "80e-3"),
            (300, 6, DEX, "300e6"),
            (1, 12, DEX, "1e12"),
            (1, 3, DEX, "1e3"),
            (3, 3, DEX, "3e3"),
            (0, 0, DEX, "0"),
            (1, -9, DSI, "1n"),
            (80, -9, DSI, "80n"),
            (1080, -9, DSI, "1080n"),
            (108, -8, DSI, "1080n"),
            (10800, -10, DSI, "1080n"),
            (1, -6, DSI, "1u"),
            (80, -6, DSI, "80u"),
            (1080, -6, DSI, "1080u"),
            (1, -12, DSI, "1e-12"),
            (1, -10, DSI, "100e-12"),
        ];
        for &(mantissa, exp, format, want) in table {
            let value = q(mantissa, exp, format);
            assert_eq!(value.to_string(), want, "{mantissa}e{exp} {format:?}");
            if mantissa != 0 {
                assert_eq!(negated(&value).to_string(), format!("-{want}"));
            }
            // Canonical strings parse back to the same value (parsing rounds
            // to nanos, so only values at or above that precision).
            if value.exp >= NANO_EXP {
                let back = parse(want);
                assert_eq!(back.cmp_value(&value), Ordering::Equal, "{want:?}");
            }
        }
    }

    #[test]
    fn from_milli_matches_new_milli_quantity() {
        #[rustfmt::skip]
        let table: &[(i64, &str)] = &[
            (1, "1m"),
            (1000, "1"),
            (1234000, "1234"),
            (1500, "1500m"),
            (0, "0"),
            (-250, "-250m"),
            (i64::MAX, "9223372036854775807m"),
            (i64::MIN, "-9223372036854775808m"),
        ];
        for &(milli, want) in table {
            let value = Quantity::from_milli(milli);
            assert_eq!(value.to_string(), want, "from_milli({milli})");
            assert_eq!(
                value.milli_value(),
                milli,
                "from_milli({milli}).milli_value()"
            );
        }
        assert_eq!(Quantity::from_milli(i64::MAX).value(), 9223372036854776);
        assert_eq!(Quantity::from_milli(i64::MIN).value(), -9223372036854776);
        assert_eq!(Quantity::from_milli(100), parse("100m"));
        assert_eq!(Quantity::from_milli(500), parse("0.5"));
    }

    /// Upstream's TestQuantityCmp / TestQuantityCmpInt64AndDec, by value.
    #[test]
    fn cmp_value_is_exact() {
        use Ordering::{Equal, Greater, Less};
        #[rustfmt::skip]
        let table: &[(&str, &str, Ordering)] = &[
            ("0", "0", Equal),
            ("100m", "50m", Greater),
            ("50m", "100m", Less),
            ("10000T", "100Gi", Greater),
            ("9.01", "9.01", Equal),
            ("9", "9.01", Less),
            ("9.01", "9.00", Greater),
            ("0k", "0m", Equal),
            ("800m", "1", Less),
            ("800m", "790m", Greater),
            ("9223372036854775807", "0.1", Greater),
            ("-9223372036854775808", "0", Less),
            ("-9223372036854775808e-18", "-1", Less),
            ("-9223372036854775808e-19", "-1", Greater),
            ("1000000000000000000e-17", "10", Equal),
            ("1000000000000000000e-17", "-10", Greater),
            ("-1000000000000000000e-17", "-10", Equal),
            ("1000000000000000001e-17", "10", Greater),
            ("9999999999e-9", "10", Less),
            ("999999999999999999e-17", "10", Equal), // rounds up to 10 at nano precision
            ("1Ki", "1024", Equal),
            ("1k", "1Ki", Less),
            ("1e3", "1k", Equal),
            ("1e2147483647", "1e2147483646", Greater),
            ("-1e2147483647", "-1e2147483646", Less),
            ("1n", "1e-100", Equal),
            ("12345", "123456", Less),
            ("1.2345", "1.23456", Less),
            ("-1.2345", "-1.23456", Greater),
        ];
        for &(a, b, want) in table {
            assert_eq!(parse(a).cmp_value(&parse(b)), want, "{a:?} vs {b:?}");
            assert_eq!(
                parse(b).cmp_value(&parse(a)),
                want.reverse(),
                "{b:?} vs {a:?}"
            );
        }
    }

    #[test]
    fn predicates() {
        #[rustfmt::skip]
        let table: &[(&str, bool, bool, bool)] = &[
            // input, is_zero, is_negative, is_integer
            ("0", true, false, true),
            ("-0", true, false, true),
            ("0m", true, false, true),
            ("1", false, false, true),
            ("1k", false, false, true),
            ("1Ki", false, false, true),
            ("1500m", false, false, false),
            ("1000m", false, false, true),
            ("-2", false, true, true),
            ("-0.5", false, true, false),
            ("1n", false, false, false),
            ("1e-100", false, false, false),
            ("1e100", false, false, true),
            ("0.5Ki", false, false, true),
            ("100.035Ki", false, false, false),
        ];
        for &(input, zero, negative, integer) in table {
            let value = parse(input);
            assert_eq!(value.is_zero(), zero, "{input:?}.is_zero()");
            assert_eq!(value.is_negative(), negative, "{input:?}.is_negative()");
            assert_eq!(value.is_integer(), integer, "{input:?}.is_integer()");
        }
    }

    #[test]
    fn from_str_and_error_trait() {
        let value: Quantity = "250m".parse().expect("valid");
        assert_eq!(value.milli_value(), 250);
        let err: Box<dyn std::error::Error> = Box::new(QuantityError::Suffix);
        assert_eq!(err.to_string(), "unable to parse quantity's suffix");
    }

    /// 10,000 pseudo-random strings: parsing never panics, and whatever
    /// parses can be queried, printed and re-parsed to the same value.
    #[test]
    fn random_strings_never_panic() {
        const ALPHABET: &[u8] = b"0123456789.+-eEinumkKMGTPi ";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut parsed = 0;
        for _ in 0..10_000 {
            let len = (next() % 16) as usize;
            let text: String = (0..len)
                .map(|_| char::from(ALPHABET[(next() % ALPHABET.len() as u64) as usize]))
                .collect();
            let Ok(value) = Quantity::parse(&text) else {
                continue;
            };
            parsed += 1;
            let _ = (value.value(), value.milli_value(), value.is_integer());
            let _ = (value.is_zero(), value.is_negative());
            assert_eq!(value.cmp_value(&value), Ordering::Equal, "{text:?}");
            let shown = value.to_string();
            if value.exp.unsigned_abs() < 1_000_000 {
                let back = Quantity::parse(&shown)
                    .unwrap_or_else(|e| panic!("{text:?} -> {shown:?} does not re-parse: {e}"));
                assert_eq!(
                    back.cmp_value(&value),
                    Ordering::Equal,
                    "{text:?} -> {shown:?}"
                );
            }
        }
        assert!(
            parsed > 100,
            "the generator should produce some valid quantities"
        );
    }

    #[test]
    fn long_inputs_do_not_panic() {
        let long_digits = "9".repeat(5000);
        for text in [
            long_digits.clone(),
            format!("{long_digits}Ei"),
            format!("-{long_digits}.{long_digits}Ki"),
            format!("0.{long_digits}"),
            format!("1e{long_digits}"),
            format!("{long_digits}e2147483647"),
            format!("{long_digits}e-2147483647"),
            format!("1.{}1", "0".repeat(5000)),
        ] {
            if let Ok(value) = Quantity::parse(&text) {
                let _ = (value.value(), value.milli_value(), value.to_string());
            }
        }
        assert_eq!(parse(&format!("{long_digits}Ei")).value(), i64::MAX);
        assert_eq!(parse(&format!("-{long_digits}")).milli_value(), i64::MIN);
        assert_eq!(parse(&format!("0.{long_digits}")).to_string(), "1");
        assert_eq!(
            parse(&format!("1.{}1", "0".repeat(5000))).to_string(),
            "1000000001n"
        );
    }
}
