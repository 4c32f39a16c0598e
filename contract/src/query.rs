//! The one text form of settings outside TOML: `application/x-www-form-urlencoded`
//! pairs, as in a URL's query string. Placeholders, embed links, URL state and presets
//! all use it, so one reader serves them all.

/// `key=value&key=value`, percent-encoded.
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs {
        out.append_pair(key, &value);
    }
    out.finish()
}

/// The pairs of a query string, in order; a leading `?` is skipped. Never fails: bad
/// escapes come through as written, for the caller's checks to refuse.
pub fn decode(text: &str) -> Vec<(String, String)> {
    let text = text.strip_prefix('?').unwrap_or(text);
    form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_round_trip_whatever_they_hold() {
        let pairs = [
            ("caption", "A & B = <c> \"d\" 100%".to_string()),
            ("when", "sync.p99 < 2 * async.p99\nx".to_string()),
        ];
        let text = encode(pairs.iter().map(|(k, v)| (*k, v.clone())));
        let back = decode(&text);
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].1, pairs[0].1);
        assert_eq!(back[1].1, pairs[1].1);
        assert_eq!(
            decode("?a=1&b"),
            [("a".into(), "1".into()), ("b".into(), String::new())]
        );
    }
}
