//! Speed of the `aws` console: parsing alone, then whole commands run against a small world
//! (parse, profile lookup, the world's request pipeline with its trace, and CLI formatting).

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use s3pg_awscli::{Console, parse_line};
use s3pg_sim::{Timestamp, World};

fn world() -> World {
    let mut w: World =
        serde_json::from_str(include_str!("../tests/fixtures_world.json")).unwrap_or_default();
    w.normalize();
    w
}

fn bench(c: &mut Criterion) {
    let now = Timestamp(1_767_225_600);
    let put = "aws s3api put-object --bucket demo --key k.txt --body hello.txt --server-side-encryption AES256 --profile alice";
    c.bench_function("parse put-object line", |b| {
        b.iter(|| parse_line(std::hint::black_box(put)));
    });
    let mut console = Console::new();
    console.add_file("hello.txt", "hi there\n");
    for (name, line) in [
        ("run put-object (allowed)", put),
        (
            "run put-object (denied)",
            "aws s3api put-object --bucket demo --key k.txt --body hello.txt --profile bob",
        ),
        (
            "run s3 ls --recursive",
            "aws s3 ls s3://demo --recursive --profile alice",
        ),
        (
            "run list-objects-v2 --query",
            "aws s3api list-objects-v2 --bucket demo --query Contents[].Key --profile alice",
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter_batched(
                || (world(), console.clone()),
                |(mut w, mut con)| con.run(&mut w, line, now),
                BatchSize::SmallInput,
            );
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
