//! Throughput on loopback: 100,000 events of one office uploaded in change sets of 5,000 and
//! acknowledged. Ignored by default; run with
//! `cargo test -p qingfeng-hub --release --test perf -- --ignored --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::*;
use qingfeng_sync::{Outcome, Receipt, Signed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "throughput measurement; run in release"]
async fn a_hundred_thousand_events_from_one_office() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Arc::new(hub_in(dir.path()));
    let mut device = Device::enrolled(&hub, WUHUA, "wuhua-1");
    let bodies: Vec<Vec<u8>> = (0..20)
        .map(|s| {
            let events: Vec<_> =
                (0..5000).map(|i| device.work(&format!("complaint:{}", (s * 5000 + i) / 10))).collect();
            device.sign(events).encode()
        })
        .collect();
    let server = qingfeng_hub::http::serve(Arc::clone(&hub), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/changesets", server.url());
    let started = Instant::now();
    for body in bodies {
        let bytes = http.post(&url).body(body).send().await.unwrap().bytes().await.unwrap();
        let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
        assert_eq!(receipt.outcome, Outcome::Accepted);
    }
    let elapsed = started.elapsed();
    println!("100,000 events acknowledged in {elapsed:?}");
    let reader = Device::enrolled(&hub, KUNMING, "kunming-1");
    let started = Instant::now();
    let events = read_feed(&hub, KUNMING, &reader.id);
    println!("prefecture feed of {} events read in {:?}", events.len(), started.elapsed());
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "latency measurement; run in release"]
async fn two_hundred_devices_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let hub = Arc::new(hub_in(dir.path()));
    let offices = [WUHUA, PANLONG, QILIN, KUNMING, QUJING, PROVINCE];
    let per: usize = std::env::var("PER").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut uploads = Vec::new();
    for n in 0..200 {
        let mut device = Device::enrolled(&hub, offices[n % offices.len()], &format!("d-{n}"));
        let events: Vec<_> = (0..per).map(|k| device.work(&format!("complaint:{n}-{}", k / 5))).collect();
        uploads.push(device.sign(events).encode());
    }
    let server = qingfeng_hub::http::serve(Arc::clone(&hub), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/changesets", server.url());
    let tasks: Vec<_> = uploads
        .into_iter()
        .map(|body| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let bytes = http.post(&url).body(body).send().await.unwrap().bytes().await.unwrap();
                let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
                assert_eq!(receipt.outcome, Outcome::Accepted);
                started.elapsed()
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.push(t.await.unwrap());
    }
    latencies.sort();
    println!("200 uploads of {per} events: p50 {:?}, p99 {:?}", latencies[100], latencies[197]);
    server.shutdown().await.unwrap();
}
