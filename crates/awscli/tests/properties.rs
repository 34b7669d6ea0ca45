//! Properties of the command-line reader: no input makes it panic, shell quoting round-trips
//! any words, and parsing never depends on where global options stand.

use proptest::prelude::*;
use s3pg_awscli::shorthand::Shorthand;
use s3pg_awscli::{parse_line, tokenize};

// Quotes a word for a POSIX shell: `'…'`, with `'` written as `'\''`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

proptest! {
    #[test]
    fn any_line_parses_or_errs_without_panicking(line in "\\PC{0,80}") {
        let _ = parse_line(&line);
        let _ = Shorthand::parse(&line);
    }

    #[test]
    fn aws_like_lines_never_panic(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "s3", "s3api", "kms", "glacier", "configure", "set", "ls", "cp", "rm", "mb", "rb", "presign",
                "put-object", "get-object", "--bucket", "--key", "b", "k", "s3://b/k", "--recursive", "--sse",
                "--expires-in", "60", "--profile", "--region=x", "--policy", "file://p.json", "help", "--", "=",
            ]),
            0..8,
        )
    ) {
        let _ = parse_line(&format!("aws {}", words.join(" ")));
    }

    #[test]
    fn quoted_words_round_trip(words in prop::collection::vec("\\PC{0,12}", 0..6)) {
        let line = words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
        prop_assert_eq!(tokenize(&line).unwrap(), words);
    }

    #[test]
    fn global_options_may_stand_anywhere(position in 0usize..6) {
        let mut words = vec!["s3api", "get-object", "--bucket", "b", "--key", "k", "out.txt"];
        let at = position.min(words.len() - 2) + 2;
        words.insert(at, "--profile=dev");
        let parsed = parse_line(&format!("aws {}", words.join(" "))).unwrap();
        prop_assert_eq!(parsed.globals.profile.as_deref(), Some("dev"));
    }
}
