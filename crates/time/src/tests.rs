use proptest::prelude::*;

use super::*;

#[test]
fn rfc3339_round_trips_known_instants() {
    for (text, secs) in [
        ("1970-01-01T00:00:00Z", 0),
        ("2026-01-01T00:00:00Z", 1_767_225_600),
        ("2000-02-29T12:34:56Z", 951_827_696),
        ("2024-12-31T23:59:59Z", 1_735_689_599),
    ] {
        assert_eq!(Timestamp::parse(text).unwrap(), Timestamp(secs), "{text}");
        assert_eq!(Timestamp(secs).to_string(), text);
    }
    assert_eq!(
        Timestamp::parse("2013-03-20T17:03:43.221Z").unwrap(),
        Timestamp::parse("2013-03-20T17:03:43+00:00").unwrap()
    );
}

#[test]
fn days_not_on_the_calendar_are_refused_with_the_reason() {
    let e = Timestamp::parse("2026-02-30T00:00:00Z").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid time `2026-02-30T00:00:00Z`: February 2026 has 28 days, so there is no day 30"
    );
    assert_eq!(e.help(), "use a day between 1 and 28");
    for bad in [
        "2023-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z",
        "2026-01-01T23:59:60Z",
    ] {
        assert!(Timestamp::parse(bad).is_err(), "{bad}");
    }
    assert!(Timestamp::parse("2024-02-29T00:00:00Z").is_ok());
    assert!(Timestamp::parse("2000-02-29T00:00:00Z").is_ok());
    assert!(Timestamp::parse("1900-02-29T00:00:00Z").is_err());
}

#[test]
fn other_shapes_and_zones_are_refused() {
    for (bad, says) in [
        ("2026-01-01", "expected an RFC 3339 UTC time"),
        ("yesterday", "expected an RFC 3339 UTC time"),
        ("2026-01-01T00:00:00+02:00", "not in UTC"),
        ("2026-01-01T00:00:00", "expected an RFC 3339 UTC time"),
        ("2026-01-01T00:00:00.Z", "expected an RFC 3339 UTC time"),
        ("1969-12-31T23:59:59Z", "before 1970"),
    ] {
        let e = Timestamp::parse(bad).unwrap_err().to_string();
        assert!(e.contains(says), "{bad}: {e}");
        assert!(e.contains(&format!("`{bad}`")), "{e}");
    }
}

#[test]
fn iso8601_accepts_a_bare_date() {
    let t = Timestamp::parse_iso8601("2024-02-29T23:59:59Z").unwrap();
    assert_eq!(Timestamp::parse_iso8601("2024-03-01").unwrap(), t.plus(1));
    assert!(Timestamp::parse_iso8601("2023-02-29").is_err());
}

#[test]
fn basic_form_is_sigv4s() {
    let t = Timestamp::parse_basic("20130524T000000Z").unwrap();
    assert_eq!(t, Timestamp(1_369_353_600));
    assert_eq!(t.to_basic(), "20130524T000000Z");
    assert_eq!(t.date_stamp(), "20130524");
    for bad in [
        "20130230T000000Z",
        "2013-05-24T00:00:00Z",
        "20130524T000000",
        "20130524T240000Z",
    ] {
        assert!(Timestamp::parse_basic(bad).is_err(), "{bad}");
    }
}

#[test]
fn access_log_time_matches_the_documented_example() {
    let t = Timestamp::parse_access_log("[06/Feb/2019:00:00:38 +0000]").unwrap();
    assert_eq!(t, Timestamp(1_549_411_238));
    assert_eq!(t.to_access_log(), "[06/Feb/2019:00:00:38 +0000]");
    assert_eq!(t.to_iso8601(), "2019-02-06T00:00:38Z");
    assert_eq!(
        Timestamp::parse_access_log("[06/Feb/2019:02:00:38 +0200]").unwrap(),
        t
    );
    for bad in [
        "[31/Feb/2019:00:00:38 +0000]",
        "[06/Fab/2019:00:00:38 +0000]",
        "[06/Feb/2019:24:00:38 +0000]",
        "[06/Feb/2019 00:00:38 +0000]",
        "06/Feb/2019:00:00:38",
    ] {
        assert!(Timestamp::parse_access_log(bad).is_err(), "{bad}");
    }
}

#[test]
fn http_dates_carry_the_right_weekday() {
    let t = Timestamp::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
    assert_eq!(t.to_rfc3339(), "2015-10-21T07:28:00Z");
    assert_eq!(t.to_http_date(), "Wed, 21 Oct 2015 07:28:00 GMT");
    let e = Timestamp::parse_http_date("Mon, 21 Oct 2015 07:28:00 GMT").unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid time `Mon, 21 Oct 2015 07:28:00 GMT`: the date is a Wed, not a Mon"
    );
    assert!(Timestamp::parse_http_date("Sat, 31 Feb 2015 07:28:00 GMT").is_err());
}

#[test]
fn epoch_seconds_and_glacier_form() {
    assert_eq!(
        Timestamp::parse_epoch_seconds("1767225600").unwrap(),
        Timestamp::parse("2026-01-01T00:00:00Z").unwrap()
    );
    assert!(Timestamp::parse_epoch_seconds("-1").is_err());
    assert_eq!(
        Timestamp(1_767_225_600).to_glacier(),
        "2026-01-01T00:00:00.000Z"
    );
}

#[test]
fn days_and_ages() {
    let t = Timestamp(1_000_000);
    assert_eq!(t.whole_days_until(t.plus(SECONDS_PER_DAY - 1)), 0);
    assert_eq!(t.whole_days_until(t.plus_days(365)), 365);
    assert_eq!(t.plus(10).whole_days_until(t), 0);
    assert_eq!(t.plus(10).seconds_since(t), 10);
}

#[test]
fn far_future_is_clamped_never_panics() {
    assert_eq!(Timestamp(u64::MAX).to_string(), "9999-12-31T23:59:59Z");
    assert_eq!(Timestamp(u64::MAX).to_access_log().len(), 28);
}

#[test]
fn iam_dates() {
    let day = parse_iam_date("2024-01-01").unwrap();
    assert_eq!(day, 1_704_067_200_000);
    assert_eq!(parse_iam_date("1704067200").unwrap(), day);
    assert_eq!(parse_iam_date("2024-01-01T00:00:00Z").unwrap(), day);
    assert_eq!(parse_iam_date("2024-01-01T01:00:00+01:00").unwrap(), day);
    assert_eq!(
        parse_iam_date("2024-01-01T00:00:00.250Z").unwrap(),
        day + 250
    );
    assert_eq!(parse_iam_date("2024-01-01T00:00Z").unwrap(), day);
    let e = parse_iam_date("2026-02-30").unwrap_err();
    assert!(e.to_string().contains("February 2026 has 28 days"), "{e}");
    assert!(parse_iam_date("soon").is_err());
    assert!(parse_iam_date("2024-01-01T00:00:00+25:00").is_err());
}

#[test]
fn serde_uses_rfc3339() {
    let t: Timestamp = serde_json::from_str("\"2026-01-01T00:00:00Z\"").unwrap();
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        "\"2026-01-01T00:00:00Z\""
    );
    let e = serde_json::from_str::<Timestamp>("\"2026-02-30T00:00:00Z\"").unwrap_err();
    assert!(e.to_string().contains("invalid time"), "{e}");
}

proptest! {
    #[test]
    fn every_form_round_trips(secs in 0u64..253_402_300_800) {
        let t = Timestamp(secs);
        prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        prop_assert_eq!(Timestamp::parse_basic(&t.to_basic()).unwrap(), t);
        prop_assert_eq!(Timestamp::parse_access_log(&t.to_access_log()).unwrap(), t);
        prop_assert_eq!(Timestamp::parse_http_date(&t.to_http_date()).unwrap(), t);
        prop_assert_eq!(Timestamp::from_civil(t.civil()), Some(t));
        prop_assert_eq!(parse_iam_date(&t.to_string()).unwrap(), i64::try_from(secs).unwrap() * 1000);
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,40}") {
        let _ = Timestamp::parse(&text);
        let _ = Timestamp::parse_iso8601(&text);
        let _ = Timestamp::parse_basic(&text);
        let _ = Timestamp::parse_access_log(&text);
        let _ = Timestamp::parse_http_date(&text);
        let _ = parse_iam_date(&text);
    }
}
