//! A macro for the many IMAP keyword enums: known names as unit variants, the rest kept in a
//! fallback variant carrying the atom.

/// Declares an enum of case-insensitive keywords with `from_atom` and `name`.
macro_rules! keyword_enum {
    (
        $(#[$doc:meta])*
        $name:ident, $other:ident {
            $( $(#[$vdoc:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name<'a> {
            $( $(#[$vdoc])* $variant, )*
            /// Any other name, kept as sent.
            $other(crate::types::Atom<'a>),
        }

        impl<'a> $name<'a> {
            /// Maps an atom to its variant, ASCII case-insensitively.
            pub fn from_atom(atom: crate::types::Atom<'a>) -> Self {
                match Self::known(atom.as_str().as_bytes()) {
                    Some(known) => known,
                    None => Self::$other(atom),
                }
            }

            /// The known variant named `s` (the usual spelling is tried first, then any case).
            pub(crate) fn known(s: &[u8]) -> Option<Self> {
                $( if s == $text.as_bytes() { return Some(Self::$variant); } )*
                $( if s.eq_ignore_ascii_case($text.as_bytes()) { return Some(Self::$variant); } )*
                None
            }

            /// The name as written on the wire.
            pub fn name(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::$other(a) => a.as_str(),
                }
            }

            /// Copies borrowed text so the value outlives the input buffer.
            pub fn into_owned(self) -> $name<'static> {
                match self {
                    $( Self::$variant => $name::$variant, )*
                    Self::$other(a) => $name::$other(a.into_owned()),
                }
            }

            /// Every known name, for tests and generators.
            #[allow(dead_code)]
            pub(crate) const KNOWN: &'static [&'static str] = &[$($text),*];
        }
    };
}

pub(crate) use keyword_enum;
