//! The GS2 header (RFC 5801) shared by SCRAM and OAUTHBEARER, and the `saslname` escaping
//! of `,` and `=` (RFC 5802 section 5.1).

use super::{utf8, SaslError};

/// A parsed GS2 header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Gs2Header {
    /// The authorization identity (`a=`), unescaped.
    pub(crate) authzid: Option<String>,
    /// Length of the header in bytes, both commas included.
    pub(crate) len: usize,
}

/// Parses `("n" / "y") "," ["a=" saslname] ","`; `p=` (channel binding) is refused.
pub(crate) fn parse_header(
    message: &[u8],
    mechanism: &'static str,
) -> Result<Gs2Header, SaslError> {
    let malformed = |expected| SaslError::Malformed {
        mechanism,
        expected,
    };
    let rest = match message {
        [b'n' | b'y', b',', rest @ ..] => rest,
        [b'p', b'=', ..] => return Err(SaslError::ChannelBindingNotSupported),
        _ => return Err(malformed("a gs2 header starting with n, or y,")),
    };
    let comma = rest
        .iter()
        .position(|&b| b == b',')
        .ok_or_else(|| malformed("a comma after the gs2 authzid"))?;
    let (authzid, _) = rest.split_at(comma);
    let authzid = match authzid {
        b"" => None,
        [b'a', b'=', name @ ..] => Some(decode_saslname(name, mechanism, "authzid")?),
        _ => return Err(malformed("a=authzid or nothing between the gs2 commas")),
    };
    Ok(Gs2Header {
        authzid,
        len: 2 + comma + 1,
    })
}

/// Escapes `,` as `=2C` and `=` as `=3D`.
pub(crate) fn encode_saslname(name: &str) -> String {
    name.replace('=', "=3D").replace(',', "=2C")
}

/// Reverses [`encode_saslname`]; any other `=` sequence, an empty name, a NUL or invalid
/// UTF-8 is an error.
pub(crate) fn decode_saslname(
    name: &[u8],
    mechanism: &'static str,
    field: &'static str,
) -> Result<String, SaslError> {
    let malformed = SaslError::Malformed {
        mechanism,
        expected: "a saslname with only =2C and =3D escapes",
    };
    if name.is_empty() || name.contains(&0) || name.contains(&b',') {
        return Err(malformed);
    }
    let mut out = Vec::with_capacity(name.len());
    let mut rest = name;
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'=' {
            match tail {
                [b'2', b'C', tail @ ..] => {
                    out.push(b',');
                    rest = tail;
                }
                [b'3', b'D', tail @ ..] => {
                    out.push(b'=');
                    rest = tail;
                }
                _ => return Err(malformed),
            }
        } else {
            out.push(b);
            rest = tail;
        }
    }
    utf8(&out, mechanism, field).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        assert_eq!(
            parse_header(b"n,,n=user", "T"),
            Ok(Gs2Header {
                authzid: None,
                len: 3
            })
        );
        assert_eq!(
            parse_header(b"y,,", "T"),
            Ok(Gs2Header {
                authzid: None,
                len: 3
            })
        );
        assert_eq!(
            parse_header(b"n,a=user@example.com,\x01", "T"),
            Ok(Gs2Header {
                authzid: Some("user@example.com".into()),
                len: 21
            })
        );
        assert_eq!(
            parse_header(b"n,a=a=3Db=2Cc,", "T").map(|h| h.authzid),
            Ok(Some("a=b,c".into()))
        );
        assert_eq!(
            parse_header(b"p=tls-unique,,", "T"),
            Err(SaslError::ChannelBindingNotSupported)
        );
        for bad in [
            &b""[..],
            b"n",
            b"n,",
            b"x,,",
            b"n,user=x,",
            b"n,a=,",
            b"n,a=x=2",
            b"N,,",
            b"n,a=x=41,",
        ] {
            assert!(
                matches!(parse_header(bad, "T"), Err(SaslError::Malformed { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn saslname_round_trip() {
        for name in ["user", "a,b", "=", "=2C", "ü,=,"] {
            assert_eq!(
                decode_saslname(encode_saslname(name).as_bytes(), "T", "n").as_deref(),
                Ok(name)
            );
        }
    }
}
