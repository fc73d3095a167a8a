//! The errno values twlab's stack gives, as Linux numbers and words them.

/// The errors a syscall can give, with Linux's numbers and strerror texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    Eagain,
    Ebadf,
    Einval,
    Epipe,
    Enotconn,
    Eisconn,
    Ealready,
    Einprogress,
    Econnreset,
    Econnrefused,
    Etimedout,
    Eaddrnotavail,
    Eopnotsupp,
}

impl Errno {
    pub const ALL: [Errno; 13] = [
        Errno::Eagain,
        Errno::Ebadf,
        Errno::Einval,
        Errno::Epipe,
        Errno::Enotconn,
        Errno::Eisconn,
        Errno::Ealready,
        Errno::Einprogress,
        Errno::Econnreset,
        Errno::Econnrefused,
        Errno::Etimedout,
        Errno::Eaddrnotavail,
        Errno::Eopnotsupp,
    ];

    /// Name, number (Linux, asm-generic/errno*.h) and strerror text.
    pub fn describe(self) -> (&'static str, i64, &'static str) {
        match self {
            Errno::Eagain => ("EAGAIN", 11, "Resource temporarily unavailable"),
            Errno::Ebadf => ("EBADF", 9, "Bad file descriptor"),
            Errno::Einval => ("EINVAL", 22, "Invalid argument"),
            Errno::Epipe => ("EPIPE", 32, "Broken pipe"),
            Errno::Enotconn => ("ENOTCONN", 107, "Transport endpoint is not connected"),
            Errno::Eisconn => ("EISCONN", 106, "Transport endpoint is already connected"),
            Errno::Ealready => ("EALREADY", 114, "Operation already in progress"),
            Errno::Einprogress => ("EINPROGRESS", 115, "Operation now in progress"),
            Errno::Econnreset => ("ECONNRESET", 104, "Connection reset by peer"),
            Errno::Econnrefused => ("ECONNREFUSED", 111, "Connection refused"),
            Errno::Etimedout => ("ETIMEDOUT", 110, "Connection timed out"),
            Errno::Eaddrnotavail => ("EADDRNOTAVAIL", 99, "Cannot assign requested address"),
            Errno::Eopnotsupp => ("EOPNOTSUPP", 95, "Operation not supported"),
        }
    }

    pub fn by_name(name: &str) -> Option<Errno> {
        let name = if name == "EWOULDBLOCK" {
            "EAGAIN"
        } else {
            name
        };
        Errno::ALL.into_iter().find(|e| e.describe().0 == name)
    }
}
