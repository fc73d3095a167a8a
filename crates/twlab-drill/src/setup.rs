//! What a script configures before and while it runs: its command-line options, the suite's defaults
//! script, and `sysctl` lines, read as twlab's `linux` profile and its parameters.
//!
//! The defaults script (`` `../common/defaults.sh` `` in packetdrill's own suites) sets
//! `net.ipv4.tcp_timestamps=1`, `tcp_sack=1`, `tcp_dsack=1`, buffer sizes, congestion control and
//! other tuning. twlab reads it as the `linux` profile with timestamps on; SACK, window scaling,
//! buffer sizes and congestion control are not modelled (the endpoint sends none of those options).
//! Without that line the script runs on the `linux` profile as it is.

use crate::error::{DrillError, Pos};
use crate::script::Script;
use twlab_core::scenario::{Params, Profile, TimeWait};
use twlab_core::time::Duration;

/// How a run is set up, and what the script asked for that twlab passed over.
#[derive(Clone, Debug)]
pub struct Setup {
    pub params: Params,
    /// packetdrill's `--tolerance_usecs` (default 4000) and `--tolerance_percent` (default 12.5).
    pub tolerance_usecs: i64,
    pub tolerance_percent: f64,
    /// `--bind_port` and `--connect_port` (both 8080 by default, as in packetdrill).
    pub bind_port: u16,
    pub connect_port: u16,
    /// `--tcp_ts_tick_usecs`: the stack's TS clock, for checking TS val (0: not checked).
    pub ts_tick_usecs: i64,
    /// Lines read but not acted on: shell commands, sysctls and options twlab has no parameter for.
    pub notes: Vec<String>,
}

/// Options that change nothing in a simulation (addresses, devices, verbosity …): noted, then skipped.
const IGNORED_OPTIONS: [&str; 13] = [
    "ip_version",
    "local_ip",
    "remote_ip",
    "gateway_ip",
    "netmask_ip",
    "speed",
    "mtu",
    "verbose",
    "non_fatal",
    "init_scripts",
    "strict_segments",
    "dry_run",
    "so_filename",
];

impl Setup {
    pub fn from_script(script: &Script) -> Result<Setup, DrillError> {
        let mut setup = Setup {
            params: Profile::Linux.params(),
            tolerance_usecs: 4000,
            tolerance_percent: 12.5,
            bind_port: 8080,
            connect_port: 8080,
            ts_tick_usecs: 0,
            notes: Vec::new(),
        };
        for (pos, name, value) in &script.options {
            setup.option(*pos, name, value.as_deref())?;
        }
        Ok(setup)
    }

    fn option(&mut self, pos: Pos, name: &str, value: Option<&str>) -> Result<(), DrillError> {
        let number = |what: &str| -> Result<i64, DrillError> {
            value
                .and_then(|v| v.parse().ok())
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    DrillError::at(
                        pos,
                        format!("--{name} takes {what}, not {:?}", value.unwrap_or("")),
                    )
                })
        };
        match name {
            "tolerance_usecs" => self.tolerance_usecs = number("microseconds")?.min(3_600_000_000),
            "tolerance_percent" => {
                self.tolerance_percent = value
                    .and_then(|v| v.parse().ok())
                    .filter(|p: &f64| (0.0..=100.0).contains(p))
                    .ok_or_else(|| DrillError::at(pos, "--tolerance_percent takes 0 to 100"))?
            }
            "tcp_ts_tick_usecs" => self.ts_tick_usecs = number("microseconds")?.min(1_000_000),
            "mss" => {
                self.params.mss = u16::try_from(number("an MSS")?)
                    .ok()
                    .filter(|m| *m > 0)
                    .ok_or_else(|| DrillError::at(pos, "--mss takes 1 to 65535"))?
            }
            "bind_port" | "connect_port" => {
                let port = u16::try_from(number("a port")?)
                    .ok()
                    .filter(|p| *p > 0)
                    .ok_or_else(|| DrillError::at(pos, format!("--{name} takes 1 to 65535")))?;
                if name == "bind_port" {
                    self.bind_port = port;
                } else {
                    self.connect_port = port;
                }
            }
            _ if IGNORED_OPTIONS.contains(&name) => self.notes.push(format!(
                "line {}: option --{name} skipped: nothing to set in a simulation",
                pos.line
            )),
            _ => return Err(DrillError::at(pos, format!("unknown option --{name}"))),
        }
        Ok(())
    }

    /// A backquoted line: the defaults script, `sysctl` settings, or anything else (noted, skipped).
    pub fn shell(&mut self, pos: Pos, command: &str) {
        let words: Vec<&str> = command.split_whitespace().collect();
        if words.first().is_some_and(|w| w.ends_with("defaults.sh")) {
            self.params.timestamps = true;
            return;
        }
        if words.first() != Some(&"sysctl") {
            self.notes.push(format!(
                "line {}: shell command skipped: `{command}`",
                pos.line
            ));
            return;
        }
        for setting in words.iter().skip(1).filter(|w| !w.starts_with('-')) {
            let Some((key, value)) = setting.split_once('=') else {
                continue;
            };
            if !self.sysctl(key.trim_start_matches("net.ipv4."), value.trim_matches('"')) {
                self.notes.push(format!(
                    "line {}: sysctl {key} skipped: twlab has no parameter for it",
                    pos.line
                ));
            }
        }
    }

    /// Set the parameter a sysctl maps to; false if there is none (or the value makes no sense).
    fn sysctl(&mut self, key: &str, value: &str) -> bool {
        let Ok(n) = value.parse::<u64>() else {
            return false;
        };
        let p = &mut self.params;
        match key {
            "tcp_timestamps" => p.timestamps = n != 0,
            "tcp_rfc1337" => p.rfc1337 = n != 0,
            // The Linux kernel documentation, ip-sysctl: "tcp_fin_timeout - the length of time an orphaned
            // (no longer referenced by any application) connection will remain in the FIN_WAIT_2 state".
            "tcp_fin_timeout" if (1..=3600).contains(&n) => {
                p.orphan_fin_wait_2 = Some(Duration::from_secs(n))
            }
            // No TIME-WAIT buckets: Linux destroys the socket instead of holding it in TIME-WAIT.
            "tcp_max_tw_buckets" if n == 0 => p.time_wait = TimeWait::Skip,
            "tcp_retries2" if n <= 20 => p.max_retries = n as u32,
            _ => return false,
        }
        true
    }
}
