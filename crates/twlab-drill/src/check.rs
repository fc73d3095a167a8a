//! A `>` line against the segment the stack sent, with packetdrill's rules and messages: the fields
//! the script gives are checked (flags, sequence numbers relative to the stack's ISN, payload length,
//! `ack`, `win`, timestamps); a field it leaves out is not.

use crate::script::{Packet, TcpFlags, TcpOption, TcpOptions};
use crate::stack::Sent;
use std::fmt::Write;

/// What a matched `>` line teaches the runner: the offset of the stack's TS clock from the script's.
pub struct Matched {
    pub ts_offset: Option<u32>,
}

fn field(name: &str, expected: u32, actual: u32) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "live packet field {name}: expected: {expected} ({expected:#x}) vs actual: {actual} ({actual:#x})"
        ))
    }
}

/// Compare; on a mismatch, packetdrill's message for the first field that differs.
/// How the stack's TS val is judged: packetdrill checks it only when `--tcp_ts_tick_usecs` is given,
/// against the script's value within the tolerance (here in microseconds since the script began).
#[derive(Clone, Copy, Debug)]
pub struct TsCheck {
    pub offset: Option<u32>,
    pub tick_usecs: i64,
    pub tolerance_usecs: i64,
}

pub fn outbound(script: &Packet, sent: &Sent, check: TsCheck) -> Result<Matched, String> {
    let ts_offset = check.offset;
    let (f, a) = (script.flags, sent.seg.flags);
    field("tcp_fin", f.fin.into(), a.fin.into())?;
    field("tcp_syn", f.syn.into(), a.syn.into())?;
    field("tcp_rst", f.rst.into(), a.rst.into())?;
    field("tcp_ack", f.ack.into(), a.ack.into())?;
    field(
        "tcp_seq",
        script.start,
        sent.seg.seq.0.wrapping_sub(sent.iss.0),
    )?;
    if let Some(ack) = script.ack {
        field("tcp_ack_seq", ack, sent.seg.ack.0)?;
    }
    if let Some(win) = script.win {
        field("tcp_window", win, u32::from(sent.seg.window))?;
    }
    let len = sent.seg.payload.len() as u32;
    if script.len != len {
        return Err(format!(
            "live packet payload: expected {} bytes vs actual {len} bytes",
            script.len
        ));
    }
    let mut learned = ts_offset;
    if let TcpOptions::List(options) = &script.options {
        let ts = options.iter().find_map(|o| match o {
            TcpOption::Timestamp { val, ecr } => Some((*val, *ecr)),
            _ => None,
        });
        match (ts, sent.seg.ts) {
            (Some((val, ecr)), Some(actual)) => {
                let offset = *learned.get_or_insert(actual.val.wrapping_sub(val));
                let off_by = i64::from(
                    (actual.val.wrapping_sub(offset).wrapping_sub(val) as i32).unsigned_abs(),
                );
                if check.tick_usecs > 0 && off_by * check.tick_usecs > check.tolerance_usecs {
                    return Err(format!(
                        "bad outbound TCP timestamp value, tolerance {}",
                        check.tolerance_usecs
                    ));
                }
                field("tcp_ts_ecr", ecr, actual.ecr)?;
            }
            (None, None) => {}
            _ => return Err("bad outbound TCP options".into()),
        }
    }
    Ok(Matched { ts_offset: learned })
}

fn flags_text(f: TcpFlags) -> String {
    let mut s: String = [
        (f.syn, 'S'),
        (f.fin, 'F'),
        (f.rst, 'R'),
        (f.psh, 'P'),
        (f.urg, 'U'),
        (f.ece, 'E'),
        (f.cwr, 'W'),
    ]
    .into_iter()
    .filter_map(|(on, c)| on.then_some(c))
    .collect();
    if f.ack {
        s.push('.');
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

/// A script packet as packetdrill prints it: `F. 1:1(0) ack 2 win 65535 <...>`.
pub fn script_text(p: &Packet) -> String {
    let mut s = format!(
        "{} {}:{}({})",
        flags_text(p.flags),
        p.start,
        p.start.wrapping_add(p.len),
        p.len
    );
    if let Some(ack) = p.ack {
        let _ = write!(s, " ack {ack}");
    }
    if let Some(win) = p.win {
        let _ = write!(s, " win {win}");
    }
    match &p.options {
        TcpOptions::Unwritten => {}
        TcpOptions::Any => s.push_str(" <...>"),
        TcpOptions::List(list) => {
            let items: Vec<String> = list.iter().map(option_text).collect();
            let _ = write!(s, " <{}>", items.join(","));
        }
    }
    s
}

fn option_text(o: &TcpOption) -> String {
    match o {
        TcpOption::Nop => "nop".into(),
        TcpOption::Eol => "eol".into(),
        TcpOption::Mss(m) => format!("mss {m}"),
        TcpOption::WScale(w) => format!("wscale {w}"),
        TcpOption::SackOk => "sackOK".into(),
        TcpOption::Sack(blocks) => {
            let b: Vec<String> = blocks.iter().map(|(a, b)| format!("{a}:{b}")).collect();
            format!("sack {}", b.join(" "))
        }
        TcpOption::Timestamp { val, ecr } => format!("TS val {val} ecr {ecr}"),
    }
}

/// The segment the stack sent, in the script's numbering.
pub fn actual_text(sent: &Sent) -> String {
    let seg = &sent.seg;
    let flags = TcpFlags {
        syn: seg.flags.syn,
        fin: seg.flags.fin,
        rst: seg.flags.rst,
        ack: seg.flags.ack,
        ..TcpFlags::default()
    };
    let start = seg.seq.0.wrapping_sub(sent.iss.0);
    let len = seg.payload.len() as u32;
    let mut s = format!(
        "{} {start}:{}({len})",
        flags_text(flags),
        start.wrapping_add(len)
    );
    if seg.flags.ack {
        let _ = write!(s, " ack {}", seg.ack.0);
    }
    let _ = write!(s, " win {}", seg.window);
    if let Some(ts) = seg.ts {
        let _ = write!(s, " <TS val {} ecr {}>", ts.val, ts.ecr);
    }
    s
}
