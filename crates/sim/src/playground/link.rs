//! Permalinks: a whole playground (its [`Saved`] form) and the moment shown, in a URL fragment:
//! `#s=<deflate + base64url of the JSON>&t=<milliseconds>`.
//!
//! A link is untrusted input. Decoding checks every limit before doing work: the fragment's
//! length, the inflated size (a small link cannot expand into gigabytes), the JSON's shape
//! (unknown fields are refused), the format version and the number of lines to replay.

use super::Saved;
use crate::engine::time::Millis;

/// Longer links are refused (the page offers a file instead): chat tools, mail and some
/// browsers cut URLs around here.
pub const MAX_LINK_CHARS: usize = 64_000;
/// The most a link may inflate to.
pub const MAX_INFLATED: usize = 4 << 20;
/// The most lines a link may ask to replay.
pub const MAX_LINES: usize = 2_000;
/// The most virtual time a link's lines may sleep in all (a week): replaying a long sleep over a
/// crash-looping pod is work, and a link must not make the page do unbounded work.
pub const MAX_SLEPT: Millis = 7 * 24 * 3_600_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub saved: Saved,
    /// The moment shown, if it is not the present.
    pub at: Option<Millis>,
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with the URL-safe alphabet and no padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

pub fn from_base64url(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.bytes().enumerate() {
        let v = ALPHABET
            .iter()
            .position(|&a| a == c)
            .ok_or_else(|| format!("character {} is not base64url", i + 1))?;
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    if bits >= 6 {
        return Err("the data is cut short".into());
    }
    Ok(out)
}

/// The link's fragment (without `#`), or the length it would have had when that is too long.
pub fn encode(saved: &Saved, at: Option<Millis>) -> Result<String, usize> {
    let mut s = saved.clone();
    // Editors that still hold what the cluster started from are not repeated.
    if s.editors
        .iter()
        .all(|(n, t)| s.start.iter().any(|(m, u)| m == n && u == t))
        && s.editors.len() == s.start.len()
    {
        s.editors.clear();
    }
    let json = serde_json::to_vec(&s).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    let mut link = format!("s={}", base64url(&packed));
    if let Some(t) = at {
        link.push_str(&format!("&t={t}"));
    }
    if link.len() > MAX_LINK_CHARS {
        return Err(link.len());
    }
    Ok(link)
}

/// Read a fragment (with or without `#`). `Ok(None)` when it holds no playground.
pub fn decode(fragment: &str) -> Result<Option<Link>, String> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is {} characters long; links of more than {MAX_LINK_CHARS} are not read",
            fragment.len()
        ));
    }
    let mut data = None;
    let mut at = None;
    for part in fragment.split('&') {
        match part.split_once('=') {
            Some(("s", v)) => data = Some(v),
            Some(("t", v)) => {
                at = Some(
                    v.parse::<Millis>()
                        .ok()
                        .filter(|t| *t >= 0)
                        .ok_or_else(|| format!("t={v} is not a moment (milliseconds)"))?,
                )
            }
            _ => {}
        }
    }
    let Some(data) = data else { return Ok(None) };
    let packed = from_base64url(data).map_err(|e| format!("the link is damaged: {e}"))?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                    format!("the link holds more than {} MB", MAX_INFLATED >> 20)
                }
                _ => "the link is damaged: its data does not decompress".to_string(),
            }
        })?;
    let mut saved: Saved = serde_json::from_slice(&json)
        .map_err(|e| format!("the link does not hold a playground: {e}"))?;
    if saved.lines.len() > MAX_LINES {
        return Err(format!(
            "the link asks to replay {} lines; at most {MAX_LINES} are replayed",
            saved.lines.len()
        ));
    }
    let slept = saved
        .lines
        .iter()
        .filter_map(|l| crate::session::sleep_of(&l.line))
        .fold(0 as Millis, Millis::saturating_add);
    if slept > MAX_SLEPT {
        return Err(format!(
            "the link's lines sleep {} in all; at most a week is replayed",
            crate::engine::time::human_duration(slept)
        ));
    }
    if saved.editors.is_empty() {
        saved.editors = saved.start.iter().cloned().collect();
    }
    Ok(Some(Link { saved, at }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playground::gallery;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for n in 0..70 {
            let s = base64url(&data[..n]);
            assert!(s.bytes().all(|c| ALPHABET.contains(&c)));
            assert_eq!(from_base64url(&s).unwrap(), &data[..n]);
        }
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert!(from_base64url("Z").is_err());
        assert!(from_base64url("Zm9v+").is_err());
    }

    #[test]
    fn a_link_restores_the_playground_and_the_moment() {
        let mut p = gallery::find("rolling-update").unwrap().playground();
        p.run_next_step();
        p.run_next_step();
        p.advance(4_000);
        let link = encode(&p.saved(), Some(12_000)).unwrap();
        assert!(
            link.len() < 4_000,
            "an example compresses well: {}",
            link.len()
        );
        let back = decode(&format!("#{link}")).unwrap().unwrap();
        assert_eq!(back.at, Some(12_000));
        assert_eq!(back.saved, p.saved());
        let q = crate::playground::Playground::from_saved(back.saved).unwrap();
        assert_eq!(q.view(Some(12_000)), p.view(Some(12_000)));
        assert_eq!(q.steps_done(), 2);
    }

    #[test]
    fn hostile_and_broken_links_are_refused_with_a_reason() {
        let no = |f: &str| decode(f).unwrap_err();
        assert_eq!(decode("").unwrap(), None);
        assert_eq!(decode("#section-2").unwrap(), None);
        assert!(no("s=%%%").contains("not base64url"));
        assert!(no("s=AAAA").contains("does not decompress"));
        assert!(no(&"s=A".repeat(40_000)).contains("are not read"));
        let packed = |json: &[u8]| base64url(&miniz_oxide::deflate::compress_to_vec(json, 9));
        assert!(no(&format!("s={}", packed(b"<script>alert(1)</script>")))
            .contains("does not hold a playground"));
        // A bomb: 40 MB of spaces deflates to a link short enough to be read.
        let bomb = packed(&vec![b' '; 40 << 20]);
        assert!(bomb.len() < MAX_LINK_CHARS);
        assert!(no(&format!("s={bomb}")).contains("more than 4 MB"));
        let many = format!(
            "{{\"format\":1,\"editors\":{{}},\"start\":[],\"lines\":[{}]}}",
            vec!["{\"line\":\"sleep 1s\"}"; MAX_LINES + 1].join(",")
        );
        assert!(no(&format!("s={}", packed(many.as_bytes()))).contains("at most 2000"));
        let extra = packed(b"{\"format\":1,\"editors\":{},\"start\":[],\"run\":\"x\"}");
        assert!(no(&format!("s={extra}")).contains("unknown field"));
        assert!(no("s=AA&t=-5").contains("not a moment"));
        let long = packed(
            b"{\"format\":1,\"editors\":{},\"start\":[],\"lines\":[{\"line\":\"sleep 2000000h\"}]}",
        );
        assert!(no(&format!("s={long}")).contains("at most a week"));
    }

    #[test]
    fn a_scenario_too_big_for_a_link_says_how_big() {
        let mut p = gallery::default().playground();
        // Text that does not compress: a pseudo-random label value per node.
        let mut r = crate::rng::Rng::new(3);
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: Node\nmetadata: {{name: n{i}, labels: {{x: v{:016x}{:016x}}}}}\n",
                r.next_u64(),
                r.next_u64()
            ));
        }
        p.set_editor(crate::playground::CLUSTER, text);
        p.restart();
        let len = encode(&p.saved(), None).unwrap_err();
        assert!(len > MAX_LINK_CHARS);
    }
}
