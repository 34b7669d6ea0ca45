//! The `presign` subcommand (being written).

/// Runs `s3pg presign` with the arguments after the subcommand; returns the exit status.
pub fn main(_args: &[String]) -> u8 {
    eprintln!("error: `presign` is not built yet");
    2
}
