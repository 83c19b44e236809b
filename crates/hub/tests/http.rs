//! The HTTP API through a real server on 127.0.0.1 (port 0), in process, with reqwest.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use base64::Engine;
use common::*;
use qingfeng_hub::http::{Server, serve};
use qingfeng_hub::{FeedRequest, StatusResponse};
use qingfeng_sync::envelope::{AUTH_CONTEXT, FEED_CONTEXT, RECEIPT_CONTEXT};
use qingfeng_sync::{AuthRequest, FeedPage, IssuedCertificate, Outcome, PublicKey, Receipt, Signed};

struct Running {
    server: Server,
    hub: Arc<qingfeng_hub::Hub>,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start(backend: Backend) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let hub = Arc::new(backend.hub_in(dir.path()));
    let server = serve(Arc::clone(&hub), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    Running { server, hub, http: reqwest::Client::new(), _dir: dir }
}

fn cbor<T: serde::Serialize>(value: &T) -> Vec<u8> {
    qingfeng_log::encoding::to_canonical_cbor(value).unwrap()
}

/// The `X-Qingfeng-Auth` header `device` sends for `path` and `body`.
fn auth(device: &Device, path: &str, body: &[u8]) -> String {
    let request = AuthRequest::new(&device.id, path, body, qingfeng_hub::now_ms());
    base64::engine::general_purpose::STANDARD
        .encode(Signed::sign(AUTH_CONTEXT, &request, &device.key).unwrap().encode())
}

impl Running {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    async fn post(&self, device: Option<&Device>, path: &str, body: Vec<u8>) -> reqwest::Response {
        let mut request = self.http.post(self.url(path)).header("content-type", "application/cbor");
        if let Some(d) = device {
            request = request.header("x-qingfeng-auth", auth(d, path, &body));
        }
        request.body(body).send().await.unwrap()
    }

    async fn error(&self, response: reqwest::Response, status: u16) -> String {
        assert_eq!(response.status().as_u16(), status);
        let body: serde_json::Value = response.json().await.unwrap();
        body["error"].as_str().unwrap().to_owned()
    }
}

on_each_backend_async! {
async fn an_office_enrolls_uploads_and_another_device_reads_the_feed(backend) {
    let hub = start(backend).await;
    let health: serde_json::Value = hub.http.get(hub.url("/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["offices"], 6);

    let key_bytes = hub.http.get(hub.url("/v1/hub-key")).send().await.unwrap().bytes().await.unwrap();
    let hub_key: PublicKey = ciborium::from_reader(key_bytes.as_ref()).unwrap();
    assert_eq!(&hub_key, hub.hub.public_key());

    let mut writer = Device::new(WUHUA, "wuhua-1");
    let token = hub.hub.issue_token(WUHUA, std::time::Duration::from_secs(600)).unwrap();
    let answer = hub.post(None, "/v1/enroll", writer.enrollment(Some(&token.token)).encode()).await;
    assert_eq!(answer.status(), 200);
    let issued = IssuedCertificate::decode(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(issued.open().unwrap().device_id, "wuhua-1");
    let again = hub.post(None, "/v1/enroll", Device::new(WUHUA, "x").enrollment(Some(&token.token)).encode()).await;
    assert!(hub.error(again, 401).await.contains("口令"));

    let events: Vec<_> = (0..20).map(|i| writer.work(&format!("complaint:{i}"))).collect();
    let set = writer.sign(events.clone());
    let answer = hub.post(Some(&writer), "/v1/changesets", set.encode()).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-type"], "application/cbor");
    let receipt: Receipt =
        Signed::decode(&answer.bytes().await.unwrap()).unwrap().open(RECEIPT_CONTEXT, &hub_key).unwrap();
    assert_eq!(receipt.outcome, Outcome::Accepted);
    assert_eq!(receipt.changeset_id, set.id());

    let status = hub.post(Some(&writer), "/v1/status", Vec::new()).await;
    let status: StatusResponse = ciborium::from_reader(status.bytes().await.unwrap().as_ref()).unwrap();
    assert_eq!(status.acked_seq, 20);
    assert_eq!(status.acked_hash, events[19].hash);
    assert_eq!(status.feed_head, 6 + 20);

    let reader = Device::enrolled(&hub.hub, WUHUA, "wuhua-2");
    let mut got = Vec::new();
    let mut after = 0;
    loop {
        let body = cbor(&FeedRequest { after, limit: 7 });
        let answer = hub.post(Some(&reader), "/v1/feed", body).await;
        assert_eq!(answer.status(), 200);
        let page: FeedPage =
            Signed::decode(&answer.bytes().await.unwrap()).unwrap().open(FEED_CONTEXT, &hub_key).unwrap();
        assert_eq!(page.office_code, WUHUA);
        assert!(page.events.len() <= 7);
        got.extend(page.events);
        after = page.cursor;
        if !page.more {
            break;
        }
    }
    let work: Vec<_> = got.into_iter().filter(|e| e.origin_device == "wuhua-1").collect();
    assert_eq!(work, events, "events arrive in full, in order");
    // The writer's own feed holds the directory only.
    let own = hub.post(Some(&writer), "/v1/feed", cbor(&FeedRequest { after: 0, limit: 1000 })).await;
    let own: FeedPage = Signed::decode(&own.bytes().await.unwrap()).unwrap().peek().unwrap();
    assert!(own.events.iter().all(|e| e.origin_device != "wuhua-1"));

    let metrics = hub.http.get(hub.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("qingfeng_hub_changesets_total{outcome=\"accepted\"} 1"), "{metrics}");
    assert!(metrics.contains("qingfeng_hub_events_total 20"));
    assert!(metrics.contains("qingfeng_hub_feed_pages_total"));
    hub.server.shutdown().await.unwrap();
}
}

on_each_backend_async! {
async fn requests_without_valid_authentication_get_a_chinese_json_error(backend) {
    let hub = start(backend).await;
    let device = Device::enrolled(&hub.hub, WUHUA, "wuhua-1");
    let body = cbor(&FeedRequest { after: 0, limit: 10 });

    let missing = hub.post(None, "/v1/feed", body.clone()).await;
    assert!(hub.error(missing, 401).await.contains("认证"));

    // A header made for another body (or path) does not authenticate this one.
    let other = hub
        .http
        .post(hub.url("/v1/feed"))
        .header("x-qingfeng-auth", auth(&device, "/v1/feed", b"other"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    hub.error(other, 401).await;
    let wrong_path = hub
        .http
        .post(hub.url("/v1/feed"))
        .header("x-qingfeng-auth", auth(&device, "/v1/status", &body))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    hub.error(wrong_path, 401).await;

    let stranger = Device::new(WUHUA, "stranger");
    hub.error(hub.post(Some(&stranger), "/v1/feed", body.clone()).await, 401).await;

    let garbage = hub.post(None, "/v1/changesets", b"not cbor".to_vec()).await;
    assert!(hub.error(garbage, 400).await.contains("变更集"));

    hub.hub.revoke_device("wuhua-1", "设备报废").unwrap();
    let revoked = hub.post(Some(&device), "/v1/feed", body).await;
    assert!(hub.error(revoked, 403).await.contains("吊销"));

    let huge = hub.post(None, "/v1/changesets", vec![0u8; qingfeng_hub::http::MAX_BODY_BYTES + 1]).await;
    assert!(hub.error(huge, 413).await.contains("上限"));
    hub.server.shutdown().await.unwrap();
}
}

on_each_backend_async! {
async fn many_offices_upload_at_once(backend) {
    let hub = start(backend).await;
    let mut tasks = Vec::new();
    for (i, office) in [WUHUA, PANLONG, QILIN, KUNMING, QUJING, PROVINCE].iter().enumerate() {
        for n in 0..3 {
            let mut device = Device::enrolled(&hub.hub, office, &format!("d-{i}-{n}"));
            let url = hub.url("/v1/changesets");
            let http = hub.http.clone();
            tasks.push(tokio::spawn(async move {
                for round in 0..3 {
                    let events: Vec<_> =
                        (0..50).map(|k| device.work(&format!("complaint:{}-{round}-{k}", device.id))).collect();
                    let body = device.sign(events).encode();
                    let bytes = http.post(&url).body(body).send().await.unwrap().bytes().await.unwrap();
                    let receipt: Receipt = Signed::decode(&bytes).unwrap().peek().unwrap();
                    assert_eq!(receipt.outcome, Outcome::Accepted);
                }
            }));
        }
    }
    for t in tasks {
        t.await.unwrap();
    }
    let report = hub.hub.verify_events().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.events, 6 + 18 * 150);
    hub.server.shutdown().await.unwrap();
}
}

/// The `X-Qingfeng-Auth` header made at `ts_ms`.
fn auth_at(device: &Device, path: &str, body: &[u8], ts_ms: i64) -> String {
    let request = AuthRequest::new(&device.id, path, body, ts_ms);
    base64::engine::general_purpose::STANDARD
        .encode(Signed::sign(AUTH_CONTEXT, &request, &device.key).unwrap().encode())
}

on_each_backend_async! {
/// Issue #14: an authentication header is good for minutes and for one request. A captured header
/// sent again is refused even within its window, and a clock far off the hub's is refused.
async fn an_auth_header_is_good_once_and_only_for_minutes(backend) {
    let hub = start(backend).await;
    let device = Device::enrolled(&hub.hub, WUHUA, "wuhua-1");
    let body = cbor(&FeedRequest { after: 0, limit: 10 });
    let send =
        |header: String| hub.http.post(hub.url("/v1/feed")).header("x-qingfeng-auth", header).body(body.clone()).send();
    let header = auth(&device, "/v1/feed", &body);
    assert_eq!(send(header.clone()).await.unwrap().status(), 200);
    let replayed = send(header).await.unwrap();
    assert!(hub.error(replayed, 401).await.contains("已经用过"), "a replayed header is refused");

    let now = qingfeng_hub::now_ms();
    let minute = 60_000;
    // A few minutes of drift between an office's clock and the hub's is accepted…
    assert_eq!(send(auth_at(&device, "/v1/feed", &body, now + 4 * minute)).await.unwrap().status(), 200);
    assert_eq!(send(auth_at(&device, "/v1/feed", &body, now - 4 * minute)).await.unwrap().status(), 200);
    // …but not hours: a header from 23 hours ahead or an hour ago is refused with what to do.
    for off in [23 * 60 * minute, -60 * minute, 6 * minute] {
        let answer = send(auth_at(&device, "/v1/feed", &body, now + off)).await.unwrap();
        let message = hub.error(answer, 401).await;
        assert!(message.contains("5 分钟") && message.contains("校正"), "{off}: {message}");
    }
    hub.server.shutdown().await.unwrap();
}
}
