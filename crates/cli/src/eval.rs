//! The `eval` subcommand (being written).

/// Runs `s3pg eval` with the arguments after the subcommand; returns the exit status.
pub fn main(_args: &[String]) -> u8 {
    eprintln!("error: `eval` is not built yet");
    2
}
