//! HTTPS between office and hub (issue #14, item 3): the hub serves a certificate it generated,
//! the enrollment token carries the certificate's fingerprint, and the office's client talks only
//! to the hub whose certificate matches it. No certificate authority, no trust on first use.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use qingfeng_sync::client::SyncClient;
use qingfeng_sync::tls;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_client_pinned_to_the_hubs_certificate_gets_through_and_enrollment_pins_it() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("hub.crt"), dir.path().join("hub-tls.pem"));
    let sha = qingfeng_hub::tls::generate(&cert, &key, &["127.0.0.1".into()]).unwrap();
    let identity = qingfeng_hub::tls::load(&cert, &key).unwrap();
    let hub = Arc::new(hub_in(dir.path()).with_tls_certificate(Some(identity.sha256)));
    let server =
        qingfeng_hub::http::serve_tls(Arc::clone(&hub), "127.0.0.1:0".parse().unwrap(), identity.config).await.unwrap();
    let url = server.url();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let addresses = vec![url.clone()];
    let health = format!("{url}/health");

    // Pinned to the whole fingerprint, or to the token's part of it: through.
    let pinned = tls::http_client(&addresses, Some(&sha), Duration::from_secs(10)).unwrap();
    assert_eq!(pinned.get(&health).send().await.unwrap().status(), 200);
    let token = hub.issue_token(WUHUA, Duration::from_secs(600)).unwrap();
    let parts = tls::split_token(&token.token).unwrap();
    assert_eq!(parts.pin.as_deref(), Some(&sha[..tls::TOKEN_PIN_BYTES]));
    assert_eq!(token.tls_sha256.as_deref(), Some(tls::fingerprint_text(&sha).as_str()));
    let by_token = tls::http_client(&addresses, parts.pin.as_deref(), Duration::from_secs(10)).unwrap();
    assert_eq!(by_token.get(&health).send().await.unwrap().status(), 200);

    // Another certificate's fingerprint (someone posing as the hub): refused in the handshake.
    let mut wrong = sha;
    wrong[0] ^= 1;
    let impostor = tls::http_client(&addresses, Some(&wrong), Duration::from_secs(10)).unwrap();
    assert!(impostor.get(&health).send().await.is_err());
    // A client trusting certificate authorities does not accept the self-signed certificate.
    assert!(reqwest::Client::new().get(&health).send().await.is_err());
    // Plain HTTP is for loopback only.
    let e = tls::http_client(&["http://10.1.2.3:8443".into()], None, Duration::from_secs(1)).unwrap_err();
    assert!(e.to_string().contains("https://"), "{e}");

    // Enrollment over HTTPS with the token: the certificate the hub signs carries the fingerprint
    // the device pins from then on.
    let device = Device::new(WUHUA, "wuhua-tls");
    let issued = SyncClient::enroll(&url, &device.enrollment(Some(&token.token))).await.unwrap();
    let certified = issued.open().unwrap();
    assert_eq!(certified.hub_tls_sha256.as_deref(), Some(&sha[..]));
    // A token without the fingerprint cannot enroll over HTTPS: nothing would prove the hub's.
    let bare = hub.issue_token(WUHUA, Duration::from_secs(600)).unwrap();
    let secret_only = tls::split_token(&bare.token).unwrap().secret;
    let e = SyncClient::enroll(&url, &Device::new(WUHUA, "wuhua-2").enrollment(Some(&secret_only))).await.unwrap_err();
    assert!(e.to_string().contains("指纹"), "{e}");
    // A token whose fingerprint is not the hub's: refused before anything is sent.
    let forged = tls::join_token(&secret_only, Some(&wrong));
    let e = SyncClient::enroll(&url, &Device::new(WUHUA, "wuhua-3").enrollment(Some(&forged))).await.unwrap_err();
    assert!(e.to_string().contains("冒充"), "{e}");
    assert_eq!(hub.devices().unwrap().len(), 1, "only the pinned enrollment reached the hub");
    server.shutdown().await.unwrap();
}
