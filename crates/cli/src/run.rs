//! The `run` subcommand (being written).

/// Runs `s3pg run` with the arguments after the subcommand; returns the exit status.
pub fn main(_args: &[String]) -> u8 {
    eprintln!("error: `run` is not built yet");
    2
}
