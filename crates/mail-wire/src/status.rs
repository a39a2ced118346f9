//! The result shape shared by every parser in the workspace.

/// The outcome of a resumable parse: either a complete value and the number of input bytes it
/// used, or a request for more input.
///
/// Running out of bytes is never an error: a parser that sees a prefix of a valid unit answers
/// [`Status::Incomplete`], and the caller feeds it the same bytes plus more.
///
/// ```
/// use mail_wire::Status;
///
/// let s: Status<&str> = Status::Complete("EHLO", 6);
/// assert_eq!(s.complete(), Some(("EHLO", 6)));
/// assert!(Status::<()>::Incomplete.is_incomplete());
/// ```
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status<T> {
    /// A whole unit was parsed; the `usize` is how many input bytes it took.
    Complete(T, usize),
    /// The input ends before the unit does; call again with more bytes.
    Incomplete,
}

impl<T> Status<T> {
    /// Whether this is [`Status::Complete`].
    pub fn is_complete(&self) -> bool {
        matches!(self, Self::Complete(..))
    }

    /// Whether this is [`Status::Incomplete`].
    pub fn is_incomplete(&self) -> bool {
        matches!(self, Self::Incomplete)
    }

    /// The value and consumed length, if complete.
    pub fn complete(self) -> Option<(T, usize)> {
        match self {
            Self::Complete(value, consumed) => Some((value, consumed)),
            Self::Incomplete => None,
        }
    }

    /// Maps the value of a complete status, keeping the consumed length.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Status<U> {
        match self {
            Self::Complete(value, consumed) => Status::Complete(f(value), consumed),
            Self::Incomplete => Status::Incomplete,
        }
    }
}
