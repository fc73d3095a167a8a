//! A TCP segment line: direction, flags, `start:end(len)`, `ack`, `win`, options.

use super::Parser;
use crate::error::DrillError;
use crate::lexer::Tok;
use crate::script::{Direction, Packet, TcpFlags, TcpOption, TcpOptions};

impl Parser {
    pub(super) fn packet(&mut self, direction: Direction) -> Result<Packet, DrillError> {
        self.at += 1;
        match self.peek() {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("udp") => {
                return self.error("UDP packets are not supported: twlab runs TCP only")
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("icmp") => {
                return self.error("ICMP packets are not supported: twlab runs TCP only")
            }
            Some(Tok::Word(w)) if w.starts_with("IPv") || w == "GRE" || w == "MPLS" => {
                return self.error(format!("{w} headers in a packet are not supported"))
            }
            Some(Tok::Punct('[' | '(')) => {
                return self.error("IP header fields (ECN, TOS, TTL, flow label) are not supported")
            }
            Some(Tok::Int(_)) if self.peek_at(1) == Some(&Tok::Punct('>')) => {
                return self.error("explicit ports (a>b) are not supported")
            }
            _ => {}
        }
        let flags = self.flags()?;
        let pos = self.pos();
        let start = self.u32("a start sequence number")?;
        self.expect(':', "in start:end(len)")?;
        let end = self.u32("an end sequence number")?;
        self.expect('(', "in start:end(len)")?;
        let len = self.u32("a payload length")?;
        self.expect(')', "in start:end(len)")?;
        if end.wrapping_sub(start) != len {
            return Err(DrillError::at(
                pos,
                format!("inconsistent {start}:{end}({len}): end - start must be the length"),
            ));
        }
        if len > 65_535 {
            return Err(DrillError::at(
                pos,
                format!("a payload of {len} bytes is larger than a segment"),
            ));
        }
        let mut ack = None;
        let mut win = None;
        loop {
            if self.is_word("ack") {
                self.at += 1;
                ack = Some(self.u32("an acknowledgment number")?);
            } else if self.is_word("win") {
                self.at += 1;
                win = Some(self.u32("a window")?);
            } else if self.is_word("urg") {
                return self.error("the urgent pointer is not supported");
            } else {
                break;
            }
        }
        if win.is_none() && direction == Direction::Inbound {
            // As packetdrill: the script must say what window the peer offers.
            return self.error("window must be specified for inbound packets (win N)");
        }
        let options = if self.is_punct('<') {
            self.tcp_options()?
        } else {
            TcpOptions::Unwritten
        };
        Ok(Packet {
            direction,
            flags,
            start,
            len,
            ack,
            win,
            options,
        })
    }

    fn flags(&mut self) -> Result<TcpFlags, DrillError> {
        let mut f = TcpFlags::default();
        if self.eat('-') {
            return Ok(f);
        }
        if let Some(Tok::Word(w)) = self.peek().cloned() {
            let pos = self.pos();
            self.at += 1;
            for c in w.chars() {
                let bit = match c {
                    'S' => &mut f.syn,
                    'F' => &mut f.fin,
                    'R' => &mut f.rst,
                    'P' => &mut f.psh,
                    'U' => &mut f.urg,
                    'E' => &mut f.ece,
                    'W' => &mut f.cwr,
                    _ => {
                        return Err(DrillError::at(
                            pos,
                            format!("{w:?} is not a set of TCP flags (S F R P U E W and .)"),
                        ))
                    }
                };
                *bit = true;
            }
            f.ack = self.eat('.');
        } else if self.eat('.') {
            f.ack = true;
        } else {
            return self.error("expected TCP flags (S, S., ., F., R, P., -)");
        }
        Ok(f)
    }

    fn tcp_options(&mut self) -> Result<TcpOptions, DrillError> {
        self.at += 1;
        if self.peek() == Some(&Tok::Ellipsis) {
            self.at += 1;
            self.expect('>', "after <...")?;
            return Ok(TcpOptions::Any);
        }
        let mut list = Vec::new();
        loop {
            let pos = self.pos();
            let Some(Tok::Word(name)) = self.next() else {
                return Err(DrillError::at(pos, "expected a TCP option"));
            };
            let option = match name.as_str() {
                "nop" => TcpOption::Nop,
                "eol" => TcpOption::Eol,
                "sackOK" => TcpOption::SackOk,
                "mss" => {
                    let pos = self.pos();
                    let n = self.u32("an MSS")?;
                    TcpOption::Mss(u16::try_from(n).map_err(|_| DrillError::at(pos, "MSS is at most 65535"))?)
                }
                "wscale" => {
                    let pos = self.pos();
                    let n = self.u32("a window scale")?;
                    TcpOption::WScale(u8::try_from(n).map_err(|_| DrillError::at(pos, "a window scale is at most 255"))?)
                }
                "sack" => {
                    let mut blocks = Vec::new();
                    while matches!(self.peek(), Some(Tok::Int(_))) {
                        let a = self.u32("a SACK block start")?;
                        self.expect(':', "in a SACK block a:b")?;
                        blocks.push((a, self.u32("a SACK block end")?));
                    }
                    TcpOption::Sack(blocks)
                }
                "TS" => {
                    if !self.is_word("val") {
                        return self.error("expected TS val x ecr y");
                    }
                    self.at += 1;
                    let val = self.u32("a TS val")?;
                    if !self.is_word("ecr") {
                        return self.error("expected ecr after TS val");
                    }
                    self.at += 1;
                    TcpOption::Timestamp {
                        val,
                        ecr: self.u32("a TS ecr")?,
                    }
                }
                other => {
                    return Err(DrillError::at(
                        pos,
                        format!("TCP option {other:?} is not supported (mss, wscale, sackOK, sack, TS, nop, eol)"),
                    ))
                }
            };
            list.push(option);
            if !self.eat(',') {
                break;
            }
        }
        self.expect('>', "to close the TCP options")?;
        Ok(TcpOptions::List(list))
    }
}
