//! Addresses as text, as tcpdump and Wireshark write them: dotted IPv4, and IPv6 as RFC 5952 §4 says
//! (lowercase hex, the longest run of two or more zero groups as `::`, an IPv4-mapped address with
//! its IPv4 part dotted). The same text as the standard library's `Display`, which a test checks, in a
//! fraction of the code: the page's wasm carries this, and every byte of it counts.

use std::fmt::Write;
use std::net::IpAddr;

pub fn ip_text(ip: IpAddr) -> String {
    let v6 = match ip {
        IpAddr::V4(a) => return dotted(a.octets()),
        IpAddr::V6(a) => a,
    };
    let g = v6.segments();
    if let [0, 0, 0, 0, 0, 0xffff, hi, lo] = g {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        return format!("::ffff:{}", dotted([a, b, c, d]));
    }
    // The longest run of zero groups (the first of equals), if it has two or more.
    let (mut best, mut run) = ((0, 0), (0, 0));
    for (i, &x) in g.iter().enumerate() {
        run = if x == 0 {
            (run.0, run.1 + 1)
        } else {
            (i + 1, 0)
        };
        if run.1 > best.1 {
            best = run;
        }
    }
    let zeros = if best.1 >= 2 {
        best.0..best.0 + best.1
    } else {
        0..0
    };
    let mut out = String::with_capacity(39);
    for (i, x) in g.iter().enumerate() {
        if i == zeros.start && !zeros.is_empty() {
            out.push_str("::");
        } else if !zeros.contains(&i) {
            if !out.is_empty() && !out.ends_with(':') {
                out.push(':');
            }
            let _ = write!(out, "{x:x}");
        }
    }
    out
}

/// `10.0.0.1:80`, `[::1]:80`.
pub fn socket_text(ip: IpAddr, port: u16) -> String {
    match ip {
        IpAddr::V4(_) => format!("{}:{port}", ip_text(ip)),
        IpAddr::V6(_) => format!("[{}]:{port}", ip_text(ip)),
    }
}

fn dotted([a, b, c, d]: [u8; 4]) -> String {
    format!("{a}.{b}.{c}.{d}")
}

/// For `#[serde(serialize_with)]`: an address as its text.
pub(crate) fn serialize<S: serde::Serializer>(ip: &IpAddr, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ip_text(*ip))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv6Addr, SocketAddr};

    #[test]
    fn the_text_is_the_standard_librarys() {
        // Every pattern of zero and non-zero groups, with values that need 1 to 4 hex digits.
        for mask in 0u32..256 {
            let groups: Vec<u16> = (0..8)
                .map(|i| {
                    if mask >> i & 1 == 1 {
                        [1, 0xab, 0x1234, 0xffff][i % 4]
                    } else {
                        0
                    }
                })
                .collect();
            let ip = IpAddr::V6(Ipv6Addr::from(<[u16; 8]>::try_from(groups).unwrap()));
            assert_eq!(ip_text(ip), ip.to_string());
            assert_eq!(socket_text(ip, 80), SocketAddr::new(ip, 80).to_string());
        }
        for ip in ["::ffff:192.0.2.1", "10.0.0.1", "255.255.255.0", "::1", "::"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert_eq!(ip_text(ip), ip.to_string());
            assert_eq!(socket_text(ip, 8000), SocketAddr::new(ip, 8000).to_string());
        }
    }
}
