//! The `aws` subcommand (being written).

/// Runs `s3pg aws …` with the arguments after the subcommand; returns the exit status.
pub fn main(_args: &[String]) -> u8 {
    eprintln!("error: `aws` is not built yet");
    2
}
